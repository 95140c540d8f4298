// Sending records to a contact: which records (or a reply to a packet), why, to whom, with
// or without attachments, and where the packet file goes.
import { useEffect, useState } from "react";
import { api, type Attachment, type Contact, type PacketSummary, type RecordMeta } from "../../api";
import { bytes, label } from "../../format";
import { shortHash, suggestedFileName } from "../../packets";
import { ErrorBox, TextArea, useLoad } from "../../ui";
import { packetCounts } from "./common";

function ContactPicker({ contacts, value, onChange }: { contacts: Contact[]; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor="packet-to">Send to (a contact)</label>
      <select id="packet-to" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose a contact…</option>
        {contacts.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} (fingerprint {c.fingerprint})
          </option>
        ))}
      </select>
    </div>
  );
}

export function SendView({ initial, onContacts }: { initial: { records: RecordMeta[]; replyTo: string | null; to: string }; onContacts: () => void }) {
  const contacts = useLoad(() => api.contacts(), []);
  const [to, setTo] = useState(initial.to);
  const [replyTo, setReplyTo] = useState(initial.replyTo);
  const [candidates, setCandidates] = useState<RecordMeta[]>(initial.records);
  const [chosen, setChosen] = useState<string[]>(initial.records.map((r) => r.id));
  const [withAttachments, setWithAttachments] = useState(false);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [purpose, setPurpose] = useState(initial.replyTo ? "Reply with the medical director's notes and edits" : "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<(PacketSummary & { path: string }) | null>(null);
  const reply = useLoad(() => (replyTo ? api.packetReplyPreview(replyTo) : Promise.resolve(null)), [replyTo]);

  useEffect(() => {
    if (replyTo) return;
    Promise.all((["call_review", "case_note", "investigation"] as const).map((kind) => api.list({ kind, limit: 100 })))
      .then((pages) => {
        const listed = pages.flatMap((p) => p.items);
        setCandidates([...initial.records, ...listed.filter((r) => !initial.records.some((i) => i.id === r.id))]);
      })
      .catch(setError);
  }, [replyTo, initial.records]);

  const leaving: RecordMeta[] = replyTo ? (reply.data ?? []) : candidates.filter((c) => chosen.includes(c.id));
  const leavingIds = leaving.map((r) => r.id).join(",");
  useEffect(() => {
    if (!withAttachments || leaving.length === 0) {
      setAttachments([]);
      return;
    }
    let live = true;
    Promise.all(leaving.map((r) => api.attachments(r.id)))
      .then((lists) => live && setAttachments(lists.flat()))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [withAttachments, leavingIds]);

  const contact = (contacts.data ?? []).find((c) => c.name === to);
  const send = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      // The shell asks where in its own save dialog: the page never names the file.
      const written = await api.packetExport({ to, records: replyTo ? [] : leaving.map((r) => r.id), replyTo, withAttachments, purpose: purpose.trim(), fileName: suggestedFileName(to || "contact") });
      if (written) setDone(written);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section className="panel" aria-labelledby="sent-title">
        <h2 id="sent-title">Packet written</h2>
        <p role="status" className="ok">
          Packet {done.packet_id} for {done.to}: {packetCounts(done)}, {bytes(done.bytes)}, encrypted to that vault only.
        </p>
        <p>
          Written to <code>{done.path}</code>. Carry the file to the other vault (a USB stick or e-mail is fine: nobody else can
          read it) and import it there under Case packets › Import a packet. Each record's PSES history now says it was sent
          to {done.to}, when and why.
        </p>
        <button type="button" onClick={() => setDone(null)}>Send another packet</button>
      </section>
    );
  }

  const noContacts = contacts.data && contacts.data.length === 0;
  const ready = !!to && leaving.length > 0 && !!purpose.trim() && !busy;
  return (
    <section aria-labelledby="send-title">
      <h2 id="send-title">{replyTo ? `Reply to packet ${shortHash(replyTo)}` : "Send records to a contact"}</h2>
      <ErrorBox error={contacts.error} />
      {noContacts ? (
        <p className="notice">
          There are no contacts yet: a packet can only go to a vault this one knows.{" "}
          <button type="button" onClick={onContacts}>Add a contact…</button>
        </p>
      ) : (
        <ContactPicker contacts={contacts.data ?? []} value={to} onChange={setTo} />
      )}
      {replyTo ? (
        <div className="panel">
          <p>
            The reply carries the records of that packet changed in this vault since it arrived, and the case notes and
            investigations written here about them.{" "}
            <button type="button" className="link" onClick={() => { setReplyTo(null); setPurpose(""); }}>Choose records by hand instead</button>
          </p>
          <ErrorBox error={reply.error} />
        </div>
      ) : (
        <fieldset className="choose">
          <legend>Records to send ({chosen.length} chosen)</legend>
          <div className="choose-list">
            {candidates.map((r) => (
              <label key={r.id} className="check">
                <input type="checkbox" checked={chosen.includes(r.id)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, r.id] : c.filter((x) => x !== r.id)))} />
                {label(r.kind)}: {r.title}
              </label>
            ))}
            {candidates.length === 0 && <p className="muted">No records to send.</p>}
          </div>
        </fieldset>
      )}
      <label className="check">
        <input type="checkbox" checked={withAttachments} onChange={(e) => setWithAttachments(e.target.checked)} />
        Include the records' attachments
      </label>
      <TextArea label="Why the records go (entered in every record's PSES history)" value={purpose} onChange={setPurpose} rows={2} />
      <section className="panel" aria-labelledby="leaving-title">
        <h3 id="leaving-title">What will leave this vault</h3>
        {leaving.length === 0 ? (
          <p className="muted">{replyTo ? (reply.loading ? "Finding what changed…" : "Nothing changed here since that packet arrived: there is nothing to reply with.") : "Choose the records to send."}</p>
        ) : (
          <ul className="plain">
            {leaving.map((r) => (
              <li key={r.id}>
                {label(r.kind)}: {r.title}
                {r.deliberation ? " (a deliberation)" : ""}
              </li>
            ))}
          </ul>
        )}
        {withAttachments && (
          <p>
            {attachments.length === 0
              ? "No attachments."
              : `${attachments.length} attachment${attachments.length === 1 ? "" : "s"} (${bytes(attachments.reduce((n, a) => n + a.size, 0))}): ${attachments.map((a) => a.name).join(", ")}.`}
          </p>
        )}
        <p className="muted">
          The records as they are now, with their revision hashes{contact ? `, for ${contact.name} only (fingerprint ${contact.fingerprint})` : ""}.
          The file is encrypted to that vault and signed by this one; it shows nothing readable but a format version and
          the recipient's key id. The calls the call reviews point to (their ePCRs, with the original NEMSIS XML) go with
          them, unless {contact ? contact.name : "the contact"} sent them here.
        </p>
      </section>
      <ErrorBox error={error} />
      <button type="button" className="primary" disabled={!ready} onClick={() => void send()}>
        {busy ? "Writing the packet…" : "Write the packet…"}
      </button>
    </section>
  );
}
