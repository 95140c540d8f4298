// Files dropped on the window, from Tauri's drag-and-drop event (the webview itself never
// sees the paths). One listener per screen that takes drops, removed when it closes.
import { useEffect, useRef, useState } from "react";
import { getCurrentWebview } from "@tauri-apps/api/webview";

/** Calls `onDrop` with the paths of files dropped on the window while the calling screen
 * is open; returns whether files are being dragged over it (to highlight the drop). */
export function useFileDrop(onDrop: (paths: string[]) => void): boolean {
  const [over, setOver] = useState(false);
  // The latest handler, so that the listener is set up once and still sees current state.
  const handler = useRef(onDrop);
  handler.current = onDrop;
  useEffect(() => {
    let un: (() => void) | null = null;
    let live = true;
    getCurrentWebview()
      .onDragDropEvent((e) => {
        if (e.payload.type === "over" || e.payload.type === "enter") setOver(true);
        else if (e.payload.type === "leave") setOver(false);
        else if (e.payload.type === "drop") {
          setOver(false);
          if (e.payload.paths.length > 0) handler.current(e.payload.paths);
        }
      })
      .then((f) => {
        if (live) un = f;
        else f();
      })
      .catch(() => {});
    return () => {
      live = false;
      un?.();
    };
  }, []);
  return over;
}
