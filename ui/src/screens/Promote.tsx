// Promote to PSWP: choose the records, choose the profile, read field by field what would
// leave (the de-identification report), then confirm. The shell promotes exactly what the
// preview showed.
import { useEffect, useState } from "react";
import { api, type OutboxItem, type PromotionPreview, type RecordMeta } from "../api";
import { label } from "../format";
import type { Route } from "../routes";
import { ErrorBox, Select } from "../ui";

const TREATMENT: Record<string, string> = {
  kept: "kept",
  generalised: "generalised",
  removed: "removed",
  withheld: "withheld",
  scrubbed: "replaced by your scrubbed text",
};

/** Counts of report lines by treatment, for the summary line. */
export function treatmentCounts(p: PromotionPreview): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of p.report) out[l.treatment] = (out[l.treatment] ?? 0) + 1;
  return out;
}

export function Promote({ initialIds, go }: { initialIds: string[]; go: (r: Route) => void }) {
  const [candidates, setCandidates] = useState<RecordMeta[]>([]);
  const [chosen, setChosen] = useState<string[]>(initialIds);
  const [profile, setProfile] = useState("nonidentifiable");
  const [previews, setPreviews] = useState<PromotionPreview[] | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [done, setDone] = useState<OutboxItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    Promise.all(
      (["call_review", "investigation", "case_note"] as const).map((kind) => api.list({ kind, pses_state: "in_pses", limit: 100 })),
    )
      .then((pages) => {
        const all = pages.flatMap((p) => p.items);
        setCandidates(all);
      })
      .catch(setError);
  }, []);

  const toggle = (id: string, on: boolean) => {
    setPreviews(null);
    setConfirmed(false);
    setChosen((c) => (on ? [...c, id] : c.filter((x) => x !== id)));
  };

  const preview = async () => {
    setBusy(true);
    setError(null);
    setConfirmed(false);
    try {
      setPreviews(await api.previewPromotion(chosen, profile));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const promote = async () => {
    if (!previews) return;
    setBusy(true);
    setError(null);
    try {
      setDone(await api.promote(previews.map((p) => p.record_id)));
      setPreviews(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="screen">
        <h1>Promote to PSWP</h1>
        <p role="status" className="ok">
          {done.length} record{done.length === 1 ? "" : "s"} promoted and queued for the PSO. The frozen snapshots wait in the
          submission queue; until they are reported you can take them back.
        </p>
        <button type="button" className="primary" onClick={() => go({ name: "submissions" })}>Open the submission queue</button>
      </div>
    );
  }

  const shown = [...candidates];
  for (const id of initialIds) if (!shown.some((c) => c.id === id)) shown.unshift({ id, kind: "call_review", title: id, status: null, pses_state: "", created_at: "", created_by: "", updated_at: "", revision: 0, deliberation: false });
  return (
    <div className="screen">
      <h1>Promote to PSWP</h1>
      <div className="notice">
        <p>
          <strong>What promotion means.</strong> Promoting a record makes a frozen copy of it <em>Patient Safety Work
          Product</em> (PSWP) to be reported to your Patient Safety Organization (PSO). The copy is queued and sent with
          the next submission. Once reported, the record can no longer drop out of the PSES; a later change is sent as an
          amendment. Until then you can take it back out of the queue.
        </p>
        <p>Case notes and investigations are deliberations: they are never sent unless you promote them here, one by one.</p>
      </div>
      <fieldset className="choose">
        <legend>Records to promote ({chosen.length} chosen)</legend>
        <div className="choose-list">
          {shown.map((r) => (
            <label key={r.id} className="check">
              <input type="checkbox" checked={chosen.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
              {label(r.kind)}: {r.title}
            </label>
          ))}
          {shown.length === 0 && <p className="muted">No record in the PSES can be promoted.</p>}
        </div>
      </fieldset>
      <Select
        label="Profile"
        value={profile}
        onChange={(v) => { setProfile(v); setPreviews(null); setConfirmed(false); }}
        options={[["nonidentifiable", label("nonidentifiable")], ["identifiable", label("identifiable")]]}
        hint="Non-identifiable removes provider, reporter and patient identifiers, reduces dates to the year and withholds free text. Identifiable sends the record as it is, to your own PSO."
      />
      <button type="button" className="primary" disabled={busy || chosen.length === 0} onClick={() => void preview()}>
        Preview what would leave
      </button>
      <ErrorBox error={error} />
      {previews && (
        <section aria-labelledby="preview-title" className="panel">
          <h2 id="preview-title">What would leave the vault</h2>
          {previews.map((p) => {
            const counts = treatmentCounts(p);
            return (
              <article key={p.record_id} className="preview-record">
                <h3>
                  {label(p.kind)} <code>{p.record_id}</code>, revision {p.revision}
                  {p.deliberation ? " — a deliberation" : ""}
                </h3>
                <p>
                  {p.report.length === 0
                    ? "Every field leaves as it is."
                    : Object.entries(counts).map(([t, n]) => `${n} ${TREATMENT[t] ?? t}`).join(", ") + "."}
                </p>
                {p.report.length > 0 && (
                  <table className="compact deid">
                    <caption className="sr-only">De-identification report for {p.record_id}</caption>
                    <thead><tr><th scope="col">Field</th><th scope="col">What happens</th><th scope="col">Leaves as</th><th scope="col">Why</th></tr></thead>
                    <tbody>
                      {p.report.map((l, i) => (
                        <tr key={i} data-treatment={l.treatment}>
                          <td><code>{l.field}</code></td>
                          <td>{TREATMENT[l.treatment] ?? l.treatment}</td>
                          <td>{l.to ?? "—"}</td>
                          <td>{l.reason}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <details>
                  <summary>The snapshot exactly as it would leave</summary>
                  <pre className="json">{JSON.stringify(p.body, null, 2)}</pre>
                </details>
              </article>
            );
          })}
          <label className="check">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
            I have read what would leave, and I want these records promoted to PSWP.
          </label>
          <button type="button" className="primary" disabled={!confirmed || busy} onClick={() => void promote()}>
            Promote {previews.length} record{previews.length === 1 ? "" : "s"} to PSWP
          </button>
        </section>
      )}
    </div>
  );
}
