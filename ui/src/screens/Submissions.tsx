// The submission queue: what will go to the PSO, submit now with progress, and the history
// of submissions with their receipts (signed by the PSO and verified before anything was
// marked reported).
import { useState } from "react";
import { api, type SubmitSummary } from "../api";
import type { SignedReceipt } from "../generated/submission-receipt";
import { bytes, date, dateTime, label } from "../format";
import { ErrorBox, TextArea, useLoad } from "../ui";

/** The receipt stored with a submission, if it parses. */
export function parseReceipt(text: string | null): SignedReceipt | null {
  if (!text) return null;
  try {
    const r = JSON.parse(text) as SignedReceipt;
    return r && r.receipt && Array.isArray(r.receipt.items) ? r : null;
  } catch {
    return null;
  }
}

export function Submissions() {
  const outbox = useLoad(() => api.outbox(), []);
  const history = useLoad(() => api.submissions(), []);
  const status = useLoad(() => api.status(), []);
  const [sending, setSending] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [result, setResult] = useState<SubmitSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [unqueueing, setUnqueueing] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [unqueued, setUnqueued] = useState<string | null>(null);

  const queued = (outbox.data ?? []).filter((i) => i.state === "queued");
  const submit = async () => {
    setSending(true);
    setError(null);
    setResult(null);
    setProgress(null);
    try {
      setResult(await api.submit(setProgress));
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
      outbox.reload();
      history.reload();
      status.reload();
    }
  };

  return (
    <div className="screen">
      <h1>Submissions to the PSO</h1>
      <ErrorBox error={error ?? outbox.error ?? history.error} />
      <section aria-labelledby="queue-title" className="panel">
        <h2 id="queue-title">Queued: what the next submission sends</h2>
        {status.data?.next_submission_due && (
          <p>Next submission due {date(status.data.next_submission_due)}{status.data.due_now ? " — due now" : ""}.</p>
        )}
        {queued.length === 0 ? (
          <p className="muted">Nothing is queued. Promote records to PSWP to queue them.</p>
        ) : (
          <table className="compact">
            <thead><tr><th scope="col">Record</th><th scope="col">Revision</th><th scope="col">Profile</th><th scope="col">Promoted</th><th scope="col">Snapshot hash</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {queued.map((i) => (
                <tr key={i.id}>
                  <td><code>{i.record_id}</code></td>
                  <td>{i.revision}</td>
                  <td>{label(i.profile)}</td>
                  <td>{dateTime(i.created_at)} by {i.created_by}</td>
                  <td><code>{i.snapshot_hash.slice(0, 16)}…</code></td>
                  <td><button type="button" onClick={() => { setUnqueueing(i.record_id); setReason(""); setUnqueued(null); }}>Take back…</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {unqueueing && (
          <div className="panel">
            <p>Taking the snapshot back out of the queue returns the record to the PSES; its history records why.</p>
            <TextArea label="Reason" value={reason} onChange={setReason} rows={2} />
            <button type="button" disabled={!reason.trim()} onClick={async () => {
              setError(null);
              try {
                const item = await api.unqueue(unqueueing, reason.trim());
                setUnqueueing(null);
                setUnqueued(`Took ${item.record_id} back out of the queue: it is back in the PSES and will not be sent. The reason is in its PSES history.`);
              } catch (e) {
                setError(e);
              } finally {
                outbox.reload();
                status.reload();
              }
            }}>Take it back</button>
            <button type="button" onClick={() => setUnqueueing(null)}>Cancel</button>
          </div>
        )}
        {unqueued && <p role="status" className="ok">{unqueued}</p>}
        <button type="button" className="primary" disabled={sending || queued.length === 0} onClick={() => void submit()}>
          {sending ? "Submitting…" : `Submit ${queued.length} now`}
        </button>
        {(sending || progress) && (
          <div className="progress-block">
            <label htmlFor="submit-progress">Sent</label>
            <progress id="submit-progress" max={progress?.total || 1} value={progress?.sent ?? 0} />
            <p role="status" aria-live="polite">{progress ? `${bytes(progress.sent)} of ${bytes(progress.total)}` : "Preparing the submission…"}</p>
          </div>
        )}
        {result && (
          <p role="status" className="ok">
            {result.submission_id
              ? `Submission ${result.submission_id}${result.resumed ? " (resumed)" : ""}: ${result.reported} item(s) reported. The PSO's receipt verified and is stored.`
              : "Nothing was queued: there was nothing to submit."}
          </p>
        )}
      </section>
      <section aria-labelledby="history-title" className="panel">
        <h2 id="history-title">Submission history and receipts</h2>
        {(history.data ?? []).length === 0 ? <p className="muted">No submission yet.</p> : (
          <table className="compact receipts">
            <thead><tr><th scope="col">Submission</th><th scope="col">State</th><th scope="col">Sent</th><th scope="col">Receipt</th></tr></thead>
            <tbody>
              {(history.data ?? []).map((s) => {
                const r = parseReceipt(s.receipt);
                return (
                  <tr key={s.id}>
                    <td><code>{s.id}</code></td>
                    <td>{s.state === "committed" ? "Received by the PSO" : "Being sent (resumes on the next submit)"}</td>
                    <td>{dateTime(s.created_at)} by {s.created_by}</td>
                    <td>
                      {r ? (
                        <span className="receipt">
                          Receipt verified: {r.receipt.items.length} item(s) received {dateTime(r.receipt.received_at)}; signed by key <code>{r.key_id.slice(0, 12)}…</code>; audit head <code>{r.receipt.audit_head.slice(0, 12)}…</code>
                        </span>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
