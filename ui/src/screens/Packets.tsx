// Case packets: the medical director's offline round trip between vaults. The records
// received and where they came from, the conflicts (an edit that arrived on an older
// revision, shown beside this vault's), sending records to a contact, importing a packet
// (file picker, typed path, or dropped on the window), and this vault's identity and its
// contacts. Every action is one service call; the role checks are the service's.
import { useEffect, useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import {
  api,
  type Attachment,
  type ConflictRow,
  type Contact,
  type DeviceInfo,
  type History,
  type PacketOutcome,
  type PacketSummary,
  type RecordKind,
  type RecordMeta,
} from "../api";
import { bytes, dateTime, label } from "../format";
import { byPacket, diffFields, fieldName, outcomeWords, shortHash, showValue, suggestedFileName } from "../packets";
import type { PacketTab, Route } from "../routes";
import { useFileDrop } from "../fileDrop";
import { ErrorBox, TextArea, TextField, useLoad } from "../ui";

const TABS: [PacketTab, string][] = [
  ["received", "Received"],
  ["conflicts", "Conflicts"],
  ["send", "Send records"],
  ["import", "Import a packet"],
  ["contacts", "Devices and contacts"],
];

/** The route that opens a record of this kind. */
/** "2 records, 2 calls (ePCRs), 1 attachment": what a written packet carries (calls only when there are any). */
export function packetCounts(p: Pick<PacketSummary, "records" | "epcrs" | "attachments">): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const calls = p.epcrs > 0 ? `, ${n(p.epcrs, "call")} (ePCR${p.epcrs === 1 ? "" : "s"})` : "";
  return `${n(p.records, "record")}${calls}, ${n(p.attachments, "attachment")}`;
}

export function openRoute(kind: RecordKind, id: string): Route | null {
  switch (kind) {
    case "call_review":
      return { name: "review", id };
    case "case_note":
      return { name: "note", id };
    case "investigation":
      return { name: "investigation", id };
    default:
      return null;
  }
}

/** One imported file: what it did, or why it was refused. */
interface ImportResult {
  path: string;
  outcome?: PacketOutcome;
  error?: unknown;
}

export function Packets({ route, go }: { route: Extract<Route, { name: "packets" }>; go: (r: Route) => void }) {
  const [tab, setTab] = useState<PacketTab>(route.tab ?? (route.records || route.replyTo ? "send" : "received"));
  const [send, setSend] = useState({ records: route.records ?? [], replyTo: route.replyTo ?? null, to: route.to ?? "" });
  const [openConflicts, setOpenConflicts] = useState<number | null>(null);
  const [results, setResults] = useState<ImportResult[]>([]);
  const [importing, setImporting] = useState<string | null>(null);

  const countConflicts = () =>
    api
      .conflicts(false)
      .then((c) => setOpenConflicts(c.length))
      .catch(() => setOpenConflicts(null));
  useEffect(() => {
    void countConflicts();
  }, []);

  const importPaths = async (paths: string[]) => {
    setTab("import");
    const done: ImportResult[] = [];
    for (const path of paths) {
      setImporting(path.split("/").pop() ?? path);
      try {
        done.push({ path, outcome: await api.packetImport(path) });
      } catch (error) {
        done.push({ path, error });
      }
    }
    setImporting(null);
    setResults((r) => [...done, ...r]);
    void countConflicts();
  };

  // A packet dropped anywhere on the window while this screen is open is imported.
  const over = useFileDrop((paths) => void importPaths(paths));

  return (
    <div className={`screen packets${over ? " drop-over" : ""}`}>
      <h1>Case packets</h1>
      <p className="muted">
        Records go to a medical director's laptop and back in a packet file, with no server between: signed by this vault,
        encrypted to the other, readable by nobody else on the way. Only contacts can send and receive.
      </p>
      <div role="tablist" aria-label="Case packets" className="tabs">
        {TABS.map(([t, l]) => (
          <button key={t} type="button" role="tab" id={`tab-${t}`} aria-selected={tab === t} aria-controls={`panel-${t}`} onClick={() => setTab(t)}>
            {l}
            {t === "conflicts" && openConflicts ? <span className="badge" aria-label={`${openConflicts} open`}>{openConflicts}</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "received" && (
          <ReceivedView
            go={go}
            onReply={(packetId, from) => {
              setSend({ records: [], replyTo: packetId, to: from });
              setTab("send");
            }}
          />
        )}
        {tab === "conflicts" && <ConflictsView onResolved={() => void countConflicts()} />}
        {tab === "send" && <SendView key={`${send.replyTo ?? ""}|${send.records.map((r) => r.id).join(",")}`} initial={send} onContacts={() => setTab("contacts")} />}
        {tab === "import" && <ImportView results={results} importing={importing} onImport={importPaths} go={go} onTab={setTab} />}
        {tab === "contacts" && <ContactsView />}
      </div>
    </div>
  );
}

function ReceivedView({ go, onReply }: { go: (r: Route) => void; onReply: (packetId: string, from: string) => void }) {
  const rows = useLoad(() => api.received(), []);
  const groups = byPacket(rows.data ?? []);
  return (
    <section aria-labelledby="received-title">
      <h2 id="received-title">Records received in packets</h2>
      <ErrorBox error={rows.error} />
      {rows.data && groups.length === 0 && <p className="muted">No packet has been imported into this vault yet.</p>}
      {groups.map((g) => (
        <article key={g.packetId} className="panel packet-group" aria-label={`Packet ${shortHash(g.packetId)} from ${g.from}`}>
          <div className="screen-head">
            <h3>
              From <strong>{g.from}</strong> · received {dateTime(g.receivedAt)} · packet <code title={g.packetId}>{shortHash(g.packetId)}</code>
            </h3>
            <button type="button" onClick={() => onReply(g.packetId, g.from)}>Reply to this packet…</button>
          </div>
          <table className="compact">
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">Kind</th>
                <th scope="col">Origin record id</th>
                <th scope="col">Origin revision</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {g.rows.map((r) => {
                const to = openRoute(r.record.kind, r.record_id);
                return (
                  <tr key={r.record_id}>
                    <td>
                      {to ? (
                        <button type="button" className="row-link" onClick={() => go(to)}>{r.record.title}</button>
                      ) : (
                        r.record.title
                      )}
                      {r.returned && <span className="muted"> · written here, came back edited</span>}
                    </td>
                    <td>{label(r.record.kind)}</td>
                    <td><code className="id">{r.record_id}</code></td>
                    <td><code title={r.origin_revision_hash}>{shortHash(r.origin_revision_hash)}</code></td>
                    <td>{dateTime(r.received_at)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </article>
      ))}
    </section>
  );
}

function ConflictsView({ onResolved }: { onResolved: () => void }) {
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
      await api.resolveConflict(conflict.id, keep);
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

function SendView({ initial, onContacts }: { initial: { records: RecordMeta[]; replyTo: string | null; to: string }; onContacts: () => void }) {
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

function ImportView({
  results,
  importing,
  onImport,
  go,
  onTab,
}: {
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

async function copyText(text: string, fallback: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!fallback) return false;
    fallback.select();
    return document.execCommand("copy");
  }
}

function ContactsView() {
  const me = useLoad<DeviceInfo>(() => api.deviceIdentity(), []);
  const list = useLoad(() => api.contacts(), []);
  const [name, setName] = useState("");
  const [identity, setIdentity] = useState("");
  const [copied, setCopied] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [box, setBox] = useState<HTMLTextAreaElement | null>(null);

  const add = async () => {
    setError(null);
    setDone(null);
    try {
      const c = await api.contactAdd(name.trim(), identity.trim());
      setName("");
      setIdentity("");
      setDone(`Added ${c.name}. Its fingerprint is ${c.fingerprint}: check that it matches what that vault shows.`);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (n: string) => {
    setError(null);
    setDone(null);
    try {
      await api.contactRemove(n);
      setRemoving(null);
      setDone(`Removed ${n}: packets from it are refused from now on.`);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <section className="panel" aria-labelledby="me-title">
        <h2 id="me-title">This vault's identity</h2>
        <p className="muted">
          Give this line to the other vault's user (they add it as a contact), and read the fingerprint to each other, on the
          phone or side by side, to be sure it arrived unchanged. It is public: it lets others send packets to this vault and
          check that packets come from it.
        </p>
        <ErrorBox error={me.error} />
        {me.data && (
          <>
            <label htmlFor="my-identity">Identity line</label>
            <textarea id="my-identity" className="identity" readOnly rows={2} value={me.data.identity} ref={setBox} onFocus={(e) => e.target.select()} />
            <p>
              Fingerprint: <strong className="fingerprint" data-testid="my-fingerprint">{me.data.fingerprint}</strong>
            </p>
            <button type="button" onClick={async () => setCopied((await copyText(me.data!.identity, box)) ? "The identity line is copied." : "Copying failed: select the line and copy it.")}>
              Copy the identity line
            </button>
            {copied && <span role="status"> {copied}</span>}
          </>
        )}
      </section>
      <section aria-labelledby="contacts-title">
        <h2 id="contacts-title">Contacts</h2>
        <ErrorBox error={list.error} />
        {done && <p role="status" className="ok">{done}</p>}
        {list.data && list.data.length === 0 && <p className="muted">No contacts yet.</p>}
        {(list.data ?? []).length > 0 && (
          <table className="compact">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">Added</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {(list.data ?? []).map((c) => (
                <tr key={c.name}>
                  <td>{c.name}</td>
                  <td><code>{c.fingerprint}</code></td>
                  <td>{dateTime(c.added_at)} by {c.added_by}</td>
                  <td>
                    {removing === c.name ? (
                      <span role="group" aria-label={`Remove ${c.name}?`}>
                        Packets from {c.name} will be refused.{" "}
                        <button type="button" className="danger" onClick={() => void remove(c.name)}>Yes, remove {c.name}</button>{" "}
                        <button type="button" onClick={() => setRemoving(null)}>Cancel</button>
                      </span>
                    ) : (
                      <button type="button" aria-label={`Remove ${c.name}…`} onClick={() => setRemoving(c.name)}>Remove…</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="panel" aria-labelledby="add-contact" onSubmit={(e) => { e.preventDefault(); void add(); }}>
          <h3 id="add-contact">Add a contact</h3>
          <TextField label="Contact name" value={name} onChange={setName} name="contact-name" hint="A short name for that vault, for example okafor-laptop: letters, digits, '.', '-' or '_'." />
          <TextArea label="Their identity line" value={identity} onChange={setIdentity} rows={2} hint="The whole line their Harbor shows under Devices and contacts (or `harbor device show`); it starts with harbor1." />
          <ErrorBox error={error} />
          <button type="submit" className="primary" disabled={!name.trim() || !identity.trim()}>Add the contact</button>
        </form>
      </section>
    </>
  );
}
