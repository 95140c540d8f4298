// The disclosure log: every disclosure of PSWP in one list (case packets, submissions to
// the PSO, attachments written out, backups, and disclosures made outside Harbor that a
// person records here), each with the permission of 42 CFR 3.206 it was made under.
import { useState } from "react";
import { api, type Disclosure, type DisclosureFilters, type Permission } from "../api";
import { useMay } from "../allowed";
import { dateTime, label } from "../format";
import { ErrorBox, Select, TextArea, TextField, useLoad } from "../ui";

const CHANNEL_WORDS: Record<string, string> = {
  packet: "Case packet",
  pso_submission: "Submission to the PSO",
  attachment_export: "Attachment written out",
  backup: "Backup",
  outside_harbor: "Made outside Harbor",
};

/** Today in UTC, as the service reads a date (a local date east of UTC would be "tomorrow"). */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function Disclosures({ record }: { record?: string }) {
  const may = useMay();
  const [filters, setFilters] = useState<DisclosureFilters>(record ? { record } : {});
  const [recordFilter, setRecordFilter] = useState(record ?? "");
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const list = useLoad(() => (may("disclosure.read") ? api.disclosures(filters) : Promise.resolve([] as Disclosure[])), [filters]);
  const permissions = useLoad(() => api.disclosurePermissions(), []);

  const [ids, setIds] = useState(record ?? "");
  const [to, setTo] = useState("");
  const [exception, setException] = useState<string>("");
  const [date, setDate] = useState(today());
  const [note, setNote] = useState("");
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (!may("disclosure.read")) {
    return (
      <div className="screen">
        <h1>Disclosures</h1>
        <p className="notice">The disclosure log is kept by administrators and quality officers.</p>
      </div>
    );
  }

  const save = async () => {
    setError(null);
    setMsg(null);
    try {
      const d = await api.recordDisclosure({
        records: ids.split(/[\s,]+/).filter(Boolean),
        to,
        exception: exception as Permission,
        date,
        note: note.trim() || undefined,
      });
      setMsg(`Recorded disclosure ${d.seq}: ${d.records.length} record${d.records.length === 1 ? "" : "s"} to ${d.recipient}, under ${d.permission}.`);
      setTo("");
      setNote("");
      list.reload();
    } catch (e) {
      setError(e);
    }
  };

  const rows = list.data ?? [];
  const perms = permissions.data ?? [];
  const citation = (p: string) => perms.find((x) => x.name === p)?.citation ?? null;
  return (
    <div className="screen">
      <h1>Disclosures</h1>
      <p className="muted">
        Every disclosure of the PSES's records: case packets, submissions to the PSO, attachments written out and backups
        are logged as they happen; disclosures made outside Harbor are recorded here, with the permission of 42 CFR 3.206
        they were made under.
      </p>
      <form className="filters" aria-label="Filter the disclosures" onSubmit={(e) => { e.preventDefault(); setFilters({ record: recordFilter.trim() || undefined, since: since || undefined, until: until || undefined }); }}>
        <TextField label="Record" value={recordFilter} onChange={setRecordFilter} name="disclosure-record" hint="A record id, or empty for all" />
        <TextField label="From" type="date" value={since} onChange={setSince} name="disclosure-since" />
        <TextField label="Through" type="date" value={until} onChange={setUntil} name="disclosure-until" />
        <button type="submit">Show</button>
      </form>
      <ErrorBox error={list.error} />
      <table className="compact" aria-label="Disclosure log">
        <thead>
          <tr><th scope="col">#</th><th scope="col">When</th><th scope="col">How</th><th scope="col">To</th><th scope="col">Permission</th><th scope="col">Records</th><th scope="col">Recorded by</th></tr>
        </thead>
        <tbody>
          {rows.length === 0 && !list.error && (
            <tr><td colSpan={7} className="muted">{list.data ? "No disclosures." : "Opening…"}</td></tr>
          )}
          {rows.map((d) => (
            <tr key={d.seq}>
              <td>{d.seq}</td>
              <td>{dateTime(d.disclosed_at)}</td>
              <td>{CHANNEL_WORDS[d.channel] ?? d.channel}</td>
              <td>{d.recipient}</td>
              <td>{label(d.permission)}{citation(d.permission) ? ` (${citation(d.permission)})` : ""}</td>
              <td>{d.all_records ? "every record in the vault" : d.records.map((r) => <code key={r} title={r}>{r.slice(0, 8)}… </code>)}</td>
              <td>{d.recorded_by}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {may("disclosure.record") && (
        <form className="panel" aria-labelledby="record-disclosure-title" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <h2 id="record-disclosure-title">Record a disclosure made outside Harbor</h2>
          <TextArea label="Records disclosed" value={ids} onChange={setIds} rows={2} hint="Their ids, separated by spaces or commas" />
          <TextField label="Disclosed to" value={to} onChange={setTo} name="disclosure-to" hint="A person or an organisation" />
          <Select
            label="Permission"
            value={exception}
            onChange={setException}
            options={[["", "Choose the permission it was made under"], ...perms.map((p): [string, string] => [p.name, `${label(p.name)}${p.citation ? ` (${p.citation})` : ""}: ${p.description}`])]}
          />
          <TextField label="Date of the disclosure" type="date" value={date} onChange={setDate} name="disclosure-date" />
          <TextField label="Note" value={note} onChange={setNote} name="disclosure-note" hint="What and why, in a few words; no patient details" />
          <ErrorBox error={error} />
          {msg && <p role="status" className="ok">{msg}</p>}
          <button type="submit" className="primary" disabled={!exception}>Record the disclosure</button>
        </form>
      )}
    </div>
  );
}
