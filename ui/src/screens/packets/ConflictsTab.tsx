// The conflicts: an edit that arrived on an older revision, shown field by field beside
// this vault's current one; a person keeps this vault's or takes the incoming edit.
import { useState } from "react";
import { api, type ConflictRow, type History } from "../../api";
import { dateTime } from "../../format";
import { diffFields, fieldName, shortHash, showValue } from "../../packets";
import { ErrorBox, useLoad } from "../../ui";

export function ConflictsView({ onResolved }: { onResolved: () => void }) {
  const list = useLoad(() => api.conflicts(true), []);
  const [chosen, setChosen] = useState<ConflictRow | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const all = list.data ?? [];
  const openOnes = all.filter((c) => !c.resolution);
  const resolved = all.filter((c) => c.resolution);
  return (
    <section aria-labelledby="conflicts-title">
      <h2 id="conflicts-title">Conflicts</h2>
      <p className="muted">
        A conflict is an edit made on the other vault to an older revision of a record that has changed here since. Harbor
        never overwrites either side: both stay until a person compares them and decides.
      </p>
      <ErrorBox error={list.error} />
      {done && <p role="status" className="ok">{done}</p>}
      {list.data && openOnes.length === 0 && <p>No open conflicts.</p>}
      {openOnes.length > 0 && (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">From</th>
              <th scope="col">Edited by</th>
              <th scope="col">Arrived</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {openOnes.map((c) => (
              <tr key={c.id} aria-current={chosen?.id === c.id ? "true" : undefined}>
                <td>{c.record.title}</td>
                <td>{c.from_contact}</td>
                <td>{c.author}</td>
                <td>{dateTime(c.at)}</td>
                <td>
                  <button type="button" onClick={() => { setDone(null); setChosen(c); }}>Compare side by side</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && (
        <ConflictDetail
          key={chosen.id}
          conflict={chosen}
          onClose={() => setChosen(null)}
          onResolved={(words) => {
            setChosen(null);
            setDone(words);
            list.reload();
            onResolved();
          }}
        />
      )}
      {resolved.length > 0 && (
        <details>
          <summary>Resolved earlier ({resolved.length})</summary>
          <ul className="plain">
            {resolved.map((c) => (
              <li key={c.id}>
                {c.record.title}: edit by {c.author} from {c.from_contact} —{" "}
                {c.resolution === "took_theirs" ? "the incoming edit was taken" : "this vault's revision was kept"}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function ConflictDetail({ conflict, onClose, onResolved }: { conflict: ConflictRow; onClose: () => void; onResolved: (words: string) => void }) {
  const history = useLoad<History>(() => api.history(conflict.record_id), [conflict.record_id]);
  const [all, setAll] = useState(false);
  const [asking, setAsking] = useState<"ours" | "theirs" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const h = history.data;
  const current = h?.revisions[h.revisions.length - 1];
  const base = h?.revisions.find((r) => r.hash === conflict.base_revision_hash);
  const rows = current ? diffFields(current.body, conflict.body, base?.body) : [];
  const differing = rows.filter((r) => r.differs);
  const shown = all ? rows : differing;
  const movedOn = current && current.hash !== conflict.current_revision_hash;

  const resolve = async (keep: "ours" | "theirs") => {
    setBusy(true);
    setError(null);
    try {
      await api.resolveConflict(conflict.id, keep === "ours" ? "current" : "theirs");
      onResolved(
        keep === "theirs"
          ? `Resolved: the edit by ${conflict.author} is now the current revision of “${conflict.record.title}”.`
          : `Resolved: this vault's revision of “${conflict.record.title}” stands; the incoming edit is set aside.`,
      );
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <section className="panel conflict" aria-labelledby="conflict-title">
      <div className="screen-head">
        <h3 id="conflict-title">{conflict.record.title}: this vault beside the incoming edit</h3>
        <button type="button" onClick={onClose}>Close the comparison</button>
      </div>
      <ErrorBox error={history.error} />
      {h && current && (
        <>
          <p className="muted">
            {differing.length} field{differing.length === 1 ? "" : "s"} differ. This vault: revision {current.rev} by {current.author},{" "}
            {dateTime(current.at)} (<code>{shortHash(current.hash)}</code>). Incoming: edit by {conflict.author} from{" "}
            {conflict.from_contact}, arrived {dateTime(conflict.at)}, made on revision <code>{shortHash(conflict.base_revision_hash)}</code>
            {base ? ` (revision ${base.rev} here)` : ""}.
          </p>
          {movedOn && (
            <p className="notice">This record changed again here after the edit arrived; the comparison uses its current revision.</p>
          )}
          <label className="check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            Show the fields that are the same on both sides too
          </label>
          <table className="compact diff">
            <caption className="sr-only">Field by field: this vault's current revision and the incoming edit</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">This vault (ours)</th>
                <th scope="col">Incoming from {conflict.from_contact} (theirs)</th>
                {base && <th scope="col">Changed</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.path} data-differs={r.differs ? "1" : undefined}>
                  <th scope="row">{fieldName(r.path)}</th>
                  <td className="ours">{showValue(r.ours)}</td>
                  <td className="theirs">{showValue(r.theirs)}</td>
                  {base && <td>{r.changedBy === "both" ? "on both sides" : r.changedBy === "here" ? "here" : r.changedBy === "there" ? `on ${conflict.from_contact}` : r.differs ? "—" : "same"}</td>}
                </tr>
              ))}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={base ? 4 : 3} className="muted">The two sides hold the same values now.</td>
                </tr>
              )}
            </tbody>
          </table>
          {!asking ? (
            <div className="toolbar">
              <button type="button" onClick={() => setAsking("ours")}>Keep ours</button>
              <button type="button" onClick={() => setAsking("theirs")}>Take theirs</button>
            </div>
          ) : (
            <div className="notice" role="group" aria-label="Confirm">
              <p>
                {asking === "ours"
                  ? `Keep this vault's revision ${current.rev}. The edit by ${conflict.author} is set aside: it stays in the conflict log, and nothing in the record changes.`
                  : `Take the edit by ${conflict.author}: it becomes a new revision of this record (revision ${current.rev + 1}); this vault's revision ${current.rev} stays in the record's history.`}{" "}
                The decision is entered in the record's PSES history with your name.
              </p>
              <button type="button" className="primary" disabled={busy} onClick={() => void resolve(asking)}>
                {asking === "ours" ? "Yes, keep ours" : "Yes, take theirs"}
              </button>
              <button type="button" disabled={busy} onClick={() => setAsking(null)}>Cancel</button>
            </div>
          )}
          <ErrorBox error={error} />
        </>
      )}
    </section>
  );
}
