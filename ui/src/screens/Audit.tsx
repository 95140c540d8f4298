// The audit log (every sign-in, read, change, export, promotion, drop-out and upload, each
// row chained to the previous by its hash) and one record's PSES history.
import { useState } from "react";
import { api, type ChainReport } from "../api";
import { dateTime, label } from "../format";
import type { Route } from "../routes";
import { ErrorBox, useLoad } from "../ui";

const PAGE = 100;

export function Audit({ go }: { go: (r: Route) => void }) {
  const [after, setAfter] = useState<number[]>([]);
  const cursor = after.length ? after[after.length - 1]! : null;
  const log = useLoad(() => api.auditLog(cursor, PAGE), [cursor]);
  const [report, setReport] = useState<ChainReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const rows = log.data ?? [];
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Audit log</h1>
        <button type="button" onClick={async () => { setError(null); try { setReport(await api.auditVerify()); } catch (e) { setError(e); } }}>
          Verify the audit chain
        </button>
      </div>
      {report && (
        <p role="status" className={report.first_bad ? "error" : "ok"}>
          {report.first_bad
            ? `The audit chain is BROKEN at row ${report.first_bad.seq}: ${report.first_bad.reason}. Restore from a backup and tell your privacy officer.`
            : `The audit chain holds: ${report.rows} rows, each chained to the one before; head ${report.head.slice(0, 16)}….`}
        </p>
      )}
      <ErrorBox error={error ?? log.error} />
      <table className="compact audit">
        <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Record</th><th scope="col">Hash</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq}>
              <td>{r.seq}</td>
              <td>{dateTime(r.at)}</td>
              <td>{r.actor}</td>
              <td>{r.action}</td>
              <td>{r.target && /^[0-9a-f-]{36}$/.test(r.target) ? <button type="button" className="link" onClick={() => go({ name: "history", id: r.target! })}>{r.target.slice(0, 8)}…</button> : (r.target ?? "")}</td>
              <td><code>{r.hash.slice(0, 10)}…</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button type="button" disabled={after.length === 0} onClick={() => setAfter((a) => a.slice(0, -1))}>Previous page</button>
        <button type="button" disabled={rows.length < PAGE} onClick={() => { const last = rows[rows.length - 1]; if (last) setAfter((a) => [...a, last.seq]); }}>Next page</button>
      </div>
    </div>
  );
}

const EVENT_WORDS: Record<string, string> = {
  entered_pses: "Entered the PSES",
  dropped_out: "Dropped out of the PSES",
  promoted_pswp: "Promoted to PSWP (snapshot frozen and queued)",
  unqueued: "Taken back out of the queue",
  reported: "Reported to the PSO (receipt verified)",
  disclosed: "Disclosed (see the disclosure log)",
  disclosed_in_pses: "Sent in a case packet (within the PSES)",
};

export function RecordHistory({ id, go }: { id: string; go: (r: Route) => void }) {
  const h = useLoad(() => api.history(id), [id]);
  if (h.error) return <div className="screen"><ErrorBox error={h.error} /></div>;
  if (!h.data) return <div className="screen" aria-busy="true"><p>Opening the history…</p></div>;
  const { meta, revisions, pses_events } = h.data;
  return (
    <div className="screen">
      <h1>PSES history: {label(meta.kind)}</h1>
      <p className="muted">{meta.title} · {label(meta.pses_state)} · <code>{meta.id}</code></p>
      <div className="actions">
        {meta.kind === "call_review" && <button type="button" onClick={() => go({ name: "review", id })}>Open the review</button>}
        {meta.kind !== "epcr" ? (
          <>
            <button type="button" onClick={() => go({ name: "disclosures", record: id })}>Disclosures of this record</button>
            <button type="button" onClick={() => go({ name: "privilege", record: id })}>Privilege log of this record</button>
          </>
        ) : null}
      </div>
      <section aria-labelledby="pses-events" className="panel">
        <h2 id="pses-events">PSES ledger</h2>
        <table className="compact">
          <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Details</th></tr></thead>
          <tbody>
            {pses_events.map((e, i) => (
              <tr key={i}>
                <td>{dateTime(e.at)}</td>
                <td>{EVENT_WORDS[e.event] ?? label(e.event)}</td>
                <td>{e.by}</td>
                <td><code className="detail-json">{e.detail && Object.keys(e.detail as object).length ? JSON.stringify(e.detail) : ""}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="revisions" className="panel">
        <h2 id="revisions">Revisions</h2>
        <table className="compact">
          <thead><tr><th scope="col">Revision</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Hash</th></tr></thead>
          <tbody>
            {revisions.map((r) => (
              <tr key={r.rev}>
                <td>{r.rev}</td>
                <td>{dateTime(r.at)}</td>
                <td>{r.author}</td>
                <td><code>{r.hash.slice(0, 16)}…</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
