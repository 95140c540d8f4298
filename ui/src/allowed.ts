// What the signed-in role may do, so that screens offer no button that can only be refused.
// The service checks the role on every action again; this only spares people dead ends.
import { createContext, useContext } from "react";

/** The action names the signed-in role may take (null: not known, offer everything). */
export const AllowedContext = createContext<ReadonlySet<string> | null>(null);

/** Whether the signed-in role may take `action` (e.g. `pses.drop_out`). */
export function useMay(): (action: string) => boolean {
  const allowed = useContext(AllowedContext);
  return (action) => allowed === null || allowed.has(action);
}
