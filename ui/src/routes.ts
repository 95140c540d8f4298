// Where the person is in the app, and the keyboard shortcuts to each main screen.
import type { RecordMeta } from "./api";
export type Route =
  | { name: "dashboard" }
  | { name: "reviews"; status?: string }
  | { name: "review"; id: string; siblings?: string[] }
  | { name: "notes" }
  | { name: "note"; id?: string; subject?: string }
  | { name: "investigations" }
  | { name: "investigation"; id?: string }
  | { name: "import" }
  | { name: "promote"; ids?: string[] }
  | { name: "submissions" }
  | { name: "packets"; tab?: PacketTab; records?: RecordMeta[]; replyTo?: string; to?: string }
  | { name: "audit" }
  | { name: "history"; id: string }
  | { name: "users" }
  | { name: "policy" }
  | { name: "disclosures"; record?: string }
  | { name: "privilege"; record?: string }
  | { name: "settings" };

export type Nav = Route["name"];

/** The parts of the case packets screen. */
export type PacketTab = "received" | "conflicts" | "send" | "import" | "contacts";

export const NAV: { name: Nav; label: string; key: string }[] = [
  { name: "dashboard", label: "Dashboard", key: "1" },
  { name: "reviews", label: "Call reviews", key: "2" },
  { name: "notes", label: "Case notes", key: "3" },
  { name: "investigations", label: "Investigations", key: "4" },
  { name: "import", label: "Import NEMSIS", key: "5" },
  { name: "promote", label: "Promote to PSWP", key: "6" },
  { name: "submissions", label: "Submissions", key: "7" },
  { name: "packets", label: "Case packets", key: "P" },
  { name: "audit", label: "Audit log", key: "8" },
  { name: "users", label: "Users", key: "9" },
  { name: "disclosures", label: "Disclosures", key: "D" },
  { name: "privilege", label: "Privilege log", key: "G" },
  { name: "policy", label: "PSES policy", key: "Y" },
  { name: "settings", label: "Settings", key: "0" },
];

/** Which main screen a route belongs to (for the navigation's current item). */
export function section(r: Route): Nav {
  switch (r.name) {
    case "review":
      return "reviews";
    case "note":
      return "notes";
    case "investigation":
      return "investigations";
    case "history":
      return "audit";
    default:
      return r.name;
  }
}

/** The screen an Alt+digit shortcut opens, if any. */
export function navForKey(e: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; key: string; code?: string }): Nav | null {
  if (!e.altKey || e.ctrlKey || e.metaKey) return null;
  // The physical key: Alt with a letter may type another character on some layouts.
  const key = e.code?.startsWith("Digit") ? e.code.slice(5) : e.code?.startsWith("Key") ? e.code.slice(3) : e.key;
  return NAV.find((n) => n.key.toLowerCase() === key.toLowerCase())?.name ?? null;
}
