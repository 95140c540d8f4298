// The PSES policy: the agency's written description of its PSES, which a court asks for
// when privilege is challenged. Every role reads it; an administrator adopts new versions,
// and every version stays, with its date, adopter and hash.
import { useEffect, useState } from "react";
import { api, type PolicyView } from "../api";
import { useDraftSaver } from "../drafts";
import { dateTime } from "../format";
import { ErrorBox, TextArea, useLoad } from "../ui";

const DRAFT_KEY = "pses_policy";

export function Policy({ canAdopt }: { canAdopt: boolean }) {
  const [version, setVersion] = useState<number | null>(null);
  const view = useLoad(() => api.policy(version), [version]);
  const [editing, setEditing] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const drafts = useDraftSaver(DRAFT_KEY, editing, editing !== null);

  // An edit the person had not adopted yet (the app locked, or crashed) comes back.
  useEffect(() => {
    if (!canAdopt) return;
    let live = true;
    api
      .loadDraft<string>(DRAFT_KEY)
      .then((d) => {
        if (live && d && typeof d.body === "string") {
          setEditing(d.body);
          setRestored(d.updated_at);
        }
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [canAdopt]);

  const v: PolicyView | null = view.data;
  const shown = v?.policy ?? null;
  const current = v?.versions[v.versions.length - 1] ?? null;

  const adopt = async () => {
    if (editing === null) return;
    setError(null);
    setMsg(null);
    try {
      const adopted = await api.adoptPolicy(editing);
      drafts.cancel();
      await api.discardDraft(DRAFT_KEY);
      setEditing(null);
      setRestored(null);
      setVersion(null);
      view.reload();
      setMsg(`Version ${adopted.version} of the PSES policy is adopted and in force from ${dateTime(adopted.adopted_at)}.`);
    } catch (e) {
      setError(e);
    }
  };

  // An edit starts from the policy in force (or the template when there is none).
  const startEdit = async () => {
    setMsg(null);
    setError(null);
    try {
      const now = await api.policy(null);
      setEditing(now.policy?.text ?? now.template);
    } catch (e) {
      setError(e);
    }
  };

  const cancel = async () => {
    drafts.cancel();
    await api.discardDraft(DRAFT_KEY).catch(() => undefined);
    setEditing(null);
    setRestored(null);
  };

  return (
    <div className="screen">
      <div className="screen-head">
        <h1>PSES policy</h1>
        {canAdopt && editing === null && v && (
          <button type="button" onClick={() => void startEdit()}>
            Edit the policy
          </button>
        )}
      </div>
      <p className="muted">
        The agency's written policy for its Patient Safety Evaluation System: what enters it and how, who has access,
        where it is kept, how drop-out is decided, and how the agency reports to its PSO. Every version is kept.
      </p>
      <ErrorBox error={view.error ?? error} />
      {msg && <p role="status" className="ok">{msg}</p>}
      {v?.needs_review && editing === null && (
        <p className="notice" role="status">
          {v.versions.length === 0
            ? "No PSES policy is adopted in this vault yet."
            : "This is Harbor's template, adopted with the vault."}{" "}
          {canAdopt ? "Review it, put in the agency's own words, and adopt it." : "An administrator should review it and adopt the agency's own."}
        </p>
      )}
      {editing !== null ? (
        <form className="panel" aria-label="Edit the PSES policy" onSubmit={(e) => { e.preventDefault(); void adopt(); }}>
          {restored && <p className="notice" role="status">Your unadopted edit from {dateTime(restored)} was restored.</p>}
          <TextArea label="Policy text (Markdown)" value={editing} onChange={setEditing} rows={24} hint="Replace every placeholder in double braces, such as {{AGENCY_NAME}}. Adopting makes a new version; the old ones stay." />
          <div className="actions">
            <button type="submit" className="primary">Adopt as version {(current?.version ?? 0) + 1}</button>
            <button type="button" onClick={() => void cancel()}>Discard the edit</button>
          </div>
        </form>
      ) : !v ? (
        <p aria-busy="true">Opening the policy…</p>
      ) : (
        <article className="panel" aria-label="Policy text">
          {shown ? (
            <p className="muted">
              Version {shown.version}{current && shown.version === current.version ? " (in force)" : ""} · adopted {dateTime(shown.adopted_at)} by {shown.adopted_by}
              {shown.template ? " · Harbor's template" : ""} · SHA-256 <code>{shown.sha256}</code>
            </p>
          ) : (
            <p className="muted">Harbor's template (not adopted):</p>
          )}
          {v.placeholders.length > 0 && (
            <p className="notice">Placeholders still to replace: {v.placeholders.map((p) => `{{${p}}}`).join(", ")}</p>
          )}
          <pre className="policy-text">{shown?.text ?? v.template}</pre>
        </article>
      )}
      {v && v.versions.length > 0 && (
        <section aria-labelledby="versions-title">
          <h2 id="versions-title">Versions</h2>
          <table className="compact">
            <thead><tr><th scope="col">Version</th><th scope="col">Adopted</th><th scope="col">By</th><th scope="col">SHA-256</th><th scope="col"></th></tr></thead>
            <tbody>
              {[...v.versions].reverse().map((p) => (
                <tr key={p.version} aria-current={shown?.version === p.version ? "true" : undefined}>
                  <td>{p.version}{p.template ? " (template)" : ""}</td>
                  <td>{dateTime(p.adopted_at)}</td>
                  <td>{p.adopted_by}</td>
                  <td><code>{p.sha256.slice(0, 16)}…</code></td>
                  <td>
                    <button type="button" className="link" disabled={shown?.version === p.version} onClick={() => { setEditing(null); setVersion(p.version === current?.version ? null : p.version); }}>
                      Show version {p.version}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
