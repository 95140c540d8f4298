// The privilege log for counsel: choose records or a period, preview every PSES fact of
// each record (never its content), and export it as CSV, PDF or JSON.
import { useState } from "react";
import { api, type PrivilegeFormat, type PrivilegeLog, type PrivilegeQuery } from "../api";
import { useMay } from "../allowed";
import { dateTime, label } from "../format";
import { ErrorBox, Select, TextArea, TextField } from "../ui";

type Scope = "records" | "period" | "all";

export function PrivilegeLogScreen({ record }: { record?: string }) {
  const may = useMay();
  const [scope, setScope] = useState<Scope>(record ? "records" : "period");
  const [ids, setIds] = useState(record ?? "");
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const [preview, setPreview] = useState<PrivilegeLog | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (!may("privilege.log")) {
    return (
      <div className="screen">
        <h1>Privilege log</h1>
        <p className="notice">The privilege log is made by administrators and quality officers.</p>
      </div>
    );
  }

  const query = (): PrivilegeQuery =>
    scope === "all"
      ? { all: true }
      : scope === "records"
        ? { records: ids.split(/[\s,]+/).filter(Boolean), all: false }
        : since || until
          ? { since: since || undefined, until: until || undefined, all: false }
          : { all: true };

  const run = async (f: () => Promise<void>) => {
    setError(null);
    setMsg(null);
    try {
      await f();
    } catch (e) {
      setError(e);
    }
  };

  const exportAs = (format: PrivilegeFormat) =>
    run(async () => {
      const w = await api.privilegeLogExport(query(), format);
      setMsg(w ? `Wrote the privilege log (${w.format.toUpperCase()}) of ${w.records} records and ${w.facts} facts to ${w.path}. Its SHA-256, ${w.sha256}, is in the audit chain.` : "Nothing written: the save dialog was cancelled.");
    });

  return (
    <div className="screen">
      <h1>Privilege log</h1>
      <p className="muted">
        For counsel, when privilege is challenged: for every record, when it entered the PSES and under which policy version,
        each revision, drop-out, promotion, disclosure and report to the PSO with the PSO's signed receipt. It describes records
        by id, kind, dates and hashes and holds no field of their content; the reasons people gave for a drop-out are printed as
        they wrote them.
      </p>
      <form className="panel" aria-label="Which records" onSubmit={(e) => { e.preventDefault(); void run(async () => setPreview(await api.privilegeLog(query()))); }}>
        <Select label="Records" value={scope} onChange={(v) => setScope(v as Scope)} options={[["period", "Those that entered the PSES in a period"], ["records", "Chosen by id"], ["all", "Every record in the PSES"]]} />
        {scope === "records" && <TextArea label="Record ids" value={ids} onChange={setIds} rows={2} hint="Separated by spaces or commas" />}
        {scope === "period" && (
          <>
            <TextField label="From" type="date" value={since} onChange={setSince} name="privilege-since" hint="Empty: from the beginning" />
            <TextField label="Through" type="date" value={until} onChange={setUntil} name="privilege-until" hint="Empty: until now" />
          </>
        )}
        <div className="actions">
          <button type="submit" className="primary">Preview</button>
          <button type="button" onClick={() => void exportAs("pdf")}>Export PDF</button>
          <button type="button" onClick={() => void exportAs("csv")}>Export CSV</button>
          <button type="button" onClick={() => void exportAs("json")}>Export JSON</button>
        </div>
      </form>
      <ErrorBox error={error} />
      {msg && <p role="status" className="ok">{msg}</p>}
      {preview && (
        <section aria-label="Preview">
          <p className="muted">
            {preview.records.length} records · audit chain of {preview.audit.rows} rows, head <code>{preview.audit.head.slice(0, 16)}…</code>
            {preview.audit.verified ? " (verified)" : " (BROKEN)"} ·{" "}
            {preview.audit.pso_anchor ? `PSO anchor from submission ${preview.audit.pso_anchor.submission_id.slice(0, 8)}…` : "no PSO anchor yet"}
          </p>
          {preview.records.map((r) => (
            <article key={r.id} className="panel">
              <h2>
                {label(r.kind)} <code>{r.id}</code>
              </h2>
              <p className="muted">
                {r.deliberation ? "Deliberation · " : ""}
                {label(r.pses_state)} · entered the PSES {dateTime(r.entered_pses)}
                {r.policy_version ? ` under policy version ${r.policy_version}` : ""}
              </p>
              <table className="compact">
                <thead><tr><th scope="col">When</th><th scope="col">Fact</th><th scope="col">By</th><th scope="col">Details</th><th scope="col">Hash</th></tr></thead>
                <tbody>
                  {r.facts.map((f, i) => (
                    <tr key={i}>
                      <td>{f.at ? dateTime(f.at) : ""}</td>
                      <td>{label(f.fact === "other" ? f.event : f.fact)}</td>
                      <td>{f.by}</td>
                      <td>
                        {[
                          f.revision != null ? `revision ${f.revision}` : null,
                          f.profile ? `profile ${f.profile}` : null,
                          f.reason ? `reason: ${f.reason}` : null,
                          f.to ? `to ${f.to}` : null,
                          f.citation ?? (f.permission ? label(f.permission) : null),
                          f.reference ? `ref ${f.reference.slice(0, 8)}…` : null,
                        ]
                          .filter(Boolean)
                          .join("; ")}
                      </td>
                      <td>{f.hash ? <code title={f.hash}>{f.hash.slice(0, 16)}…</code> : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
          ))}
        </section>
      )}
    </div>
  );
}
