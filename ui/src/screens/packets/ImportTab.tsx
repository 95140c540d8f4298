// Importing packet files: picked, typed or dropped on the window, each with what it did or
// why it was refused.
import { useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import { outcomeWords } from "../../packets";
import type { PacketTab, Route } from "../../routes";
import { ErrorBox } from "../../ui";
import { type ImportResult } from "./common";

export function ImportView({
  results,
  importing,
  onImport,
  go,
  onTab }: {
  results: ImportResult[];
  importing: string | null;
  onImport: (paths: string[]) => Promise<void>;
  go: (r: Route) => void;
  onTab: (t: PacketTab) => void;
}) {
  const [path, setPath] = useState("");
  const pick = async () => {
    const chosen = await open({ multiple: true, directory: false, title: "Import case packets", filters: [{ name: "Harbor case packet", extensions: ["hpk"] }] });
    if (!chosen) return;
    await onImport(Array.isArray(chosen) ? chosen : [chosen]);
  };
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">Import a packet</h2>
      <div className="dropzone">
        <p>
          <strong>Drop a packet file anywhere on this screen</strong>, choose it, or type its path. A packet is refused, with
          nothing imported, when it is damaged, written for another vault, or from a vault that is not a contact; importing
          the same packet twice changes nothing.
        </p>
        <button type="button" onClick={() => void pick()} disabled={!!importing}>Choose a packet file…</button>
      </div>
      <div className="field">
        <label htmlFor="packet-path">Or type the packet file's path</label>
        <div className="inline">
          <input id="packet-path" type="text" spellCheck={false} placeholder="/media/usb/case.hpk" value={path} onChange={(e) => setPath(e.target.value)} />
          <button type="button" disabled={!path.trim() || !!importing} onClick={() => { const p = path.trim(); setPath(""); void onImport([p]); }}>
            Import the packet
          </button>
        </div>
      </div>
      {importing && (
        <p role="status">
          Importing {importing}… <progress aria-label="Importing the packet" />
        </p>
      )}
      {results.map((r, i) => (
        <article key={`${r.path}-${results.length - i}`} className="panel import-result">
          <p>
            <code>{r.path.split("/").pop()}</code>
          </p>
          {r.outcome ? (
            <>
              <p role="status" className="ok">{outcomeWords(r.outcome)}</p>
              <div className="toolbar">
                {!r.outcome.already_imported && r.outcome.added.length + r.outcome.revised.length + r.outcome.unchanged.length > 0 && (
                  <button type="button" onClick={() => onTab("received")}>See the received records</button>
                )}
                {r.outcome.conflicts.length > 0 && (
                  <button type="button" className="primary" onClick={() => onTab("conflicts")}>Compare and resolve the conflicts</button>
                )}
                {r.outcome.revised.length === 1 && (
                  <button type="button" onClick={() => go({ name: "history", id: r.outcome!.revised[0]! })}>History of the revised record</button>
                )}
              </div>
            </>
          ) : (
            <ErrorBox error={r.error} />
          )}
        </article>
      ))}
    </section>
  );
}
