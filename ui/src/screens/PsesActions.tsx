// The PSES decisions on one record: promote to PSWP (through the preview) and drop out with
// a reason. Each says in plain words what it means before the button: they are legal acts.
// A decision the record's state or the user's role does not allow is not offered, and the
// section says why: the service decides both (`record_choices`), and checks them again.
import { useState } from "react";
import { api, type RecordMeta } from "../api";
import type { Route } from "../routes";
import { ErrorBox, TextArea, useLoad } from "../ui";

export function PsesActions({ meta, go, onChanged }: { meta: RecordMeta; go: (r: Route) => void; onChanged: (m: RecordMeta) => void }) {
  const [reason, setReason] = useState("");
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const choices = useLoad(() => api.recordChoices(meta.id), [meta.id, meta.pses_state, meta.revision]);
  if (!choices.data) return choices.error ? <ErrorBox error={choices.error} /> : null;
  const { promote: canPromote, drop_out: canDrop, send: canSend, unqueue: canUnqueue, note } = choices.data;
  return (
    <section className="pses-actions" aria-labelledby={`pses-${meta.id}`}>
      <h2 id={`pses-${meta.id}`}>PSES decisions</h2>
      {note && <p className="notice">{note}</p>}
      {canUnqueue && (
        <p>
          <button type="button" onClick={() => go({ name: "submissions" })}>Open the submission queue</button>
        </p>
      )}
      {canPromote && (
        <p>
          <strong>Promote to PSWP</strong> makes a frozen copy of this record Patient Safety Work Product to report to
          your PSO. You see field by field what would leave before you confirm.{" "}
          <button type="button" onClick={() => go({ name: "promote", ids: [meta.id] })}>Promote…</button>
        </p>
      )}
      {canSend && (
        <p>
          <strong>Send to a contact</strong> puts this record in a case packet for another Harbor vault, such as the medical
          director's laptop: encrypted to that vault, and entered in this record's PSES history (to whom, when, why).{" "}
          <button type="button" onClick={() => go({ name: "packets", tab: "send", records: [meta] })}>Send to a contact…</button>
        </p>
      )}
      {canDrop && (
        <>
          <p>
            <strong>Drop out of the PSES</strong> removes this record from the patient safety evaluation system before it
            is reported: it is no longer protected as patient safety work, and may be used for other purposes. The date,
            your name and the reason are kept in its history.
          </p>
          {!asking ? (
            <button type="button" onClick={() => setAsking(true)}>Drop out…</button>
          ) : (
            <div>
              <TextArea label="Reason for dropping out" value={reason} onChange={setReason} rows={2} />
              <button
                type="button"
                className="danger"
                disabled={!reason.trim()}
                onClick={async () => {
                  setError(null);
                  try {
                    const m = await api.dropOut(meta.id, reason.trim());
                    setDone("Dropped out of the PSES; the reason is in the record's history.");
                    setAsking(false);
                    onChanged(m);
                  } catch (e) {
                    setError(e);
                  }
                }}
              >
                Drop out of the PSES
              </button>
              <button type="button" onClick={() => setAsking(false)}>Cancel</button>
            </div>
          )}
        </>
      )}
      <ErrorBox error={error} />
      {done && <p role="status" className="ok">{done}</p>}
    </section>
  );
}
