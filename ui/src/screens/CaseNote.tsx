// The medical director's case note on a call review, an investigation or an ePCR. A case
// note is a deliberation: protected inside the PSES without being reported, and never sent
// to the PSO unless promoted on its own.
import { useEffect, useMemo, useState } from "react";
import { api, type RecordMeta } from "../api";
import type { CaseNote } from "../generated/case_note";
import { useDraftSaver } from "../drafts";
import { dateTime, label } from "../format";
import type { Route } from "../routes";
import { ErrorBox, Kbd, Select, TextArea } from "../ui";
import { Attachments } from "./Attachments";
import { PsesActions } from "./PsesActions";

const STANDARD: [CaseNote["standard_of_care"], string][] = [
  ["met", "Standard of care met"],
  ["met_with_opportunities", "Met, with opportunities to improve"],
  ["not_met", "Standard of care not met"],
  ["undetermined", "Cannot be determined"],
];

const EMPTY = (subject: string): CaseNote => ({ subject, clinical_assessment: "", standard_of_care: "undetermined", recommendations: "" });

export function CaseNoteForm({ id, subject, go }: { id?: string; subject?: string; go: (r: Route) => void }) {
  const [note, setNote] = useState<CaseNote | null>(null);
  const [meta, setMeta] = useState<RecordMeta | null>(null);
  const [subjects, setSubjects] = useState<RecordMeta[]>([]);
  const [dirty, setDirty] = useState(false);
  const [restored, setRestored] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [currentId, setCurrentId] = useState(id);
  const draftKey = id ? `case_note:${id}` : `new:case_note:${subject ?? ""}`;

  useEffect(() => {
    let live = true;
    (async () => {
      const d = await api.loadDraft<CaseNote>(draftKey);
      let base: CaseNote;
      if (id) {
        const r = await api.record<CaseNote>(id);
        if (!live) return;
        setMeta(r);
        base = r.body;
      } else {
        base = EMPTY(subject ?? "");
      }
      if (!live) return;
      if (d) {
        setNote(d.body);
        setRestored(d.updated_at);
        setDirty(true);
      } else setNote(base);
      if (!id && !subject) {
        const [a, b] = await Promise.all([api.list({ kind: "call_review", limit: 100 }), api.list({ kind: "investigation", limit: 100 })]);
        if (live) setSubjects([...a.items, ...b.items]);
      }
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, subject, draftKey]);

  const draft = useMemo(() => note, [note]);
  const drafts = useDraftSaver(draftKey, draft, dirty);
  const edit = (patch: Partial<CaseNote>) => {
    setNote((n) => (n ? { ...n, ...patch } : n));
    setDirty(true);
    setSaved(null);
  };

  const save = async () => {
    if (!note) return;
    setError(null);
    try {
      const m = currentId ? await api.update(currentId, note) : await api.create("case_note", note);
      drafts.cancel();
      await api.discardDraft(draftKey);
      setDirty(false);
      setRestored(null);
      setMeta(m);
      setCurrentId(m.id);
      setSaved(`Case note saved (revision ${m.revision}).`);
    } catch (e) {
      setError(e);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && !e.shiftKey && e.key.toLowerCase() === "s") {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  if (!note) return <div className="screen" aria-busy="true"><ErrorBox error={error} /><p>Opening…</p></div>;
  return (
    <div className="screen">
      <h1>{currentId ? "Case note" : "New case note"}</h1>
      <p className="notice">
        A case note is a <strong>deliberation</strong>: it stays protected inside the PSES and is never sent to the PSO
        unless someone promotes it on its own.
      </p>
      {meta && <p className="muted">{label(meta.pses_state)} · revision {meta.revision} · last change {dateTime(meta.updated_at)} by {meta.created_by}</p>}
      {restored && <p className="notice" role="status">Your unsaved changes from {dateTime(restored)} were restored.</p>}
      <form onSubmit={(e) => { e.preventDefault(); void save(); }} aria-label="Case note">
        {subject || id ? (
          <p>
            About record <code>{note.subject}</code>{" "}
            <button type="button" className="link" onClick={() => go({ name: "review", id: note.subject })}>open it</button>
          </p>
        ) : (
          <Select label="About" value={note.subject} onChange={(v) => edit({ subject: v })} options={[["", "Choose a call review or investigation"], ...subjects.map((s): [string, string] => [s.id, `${label(s.kind)}: ${s.title}`])]} />
        )}
        <TextArea label="Clinical assessment" value={note.clinical_assessment} onChange={(v) => edit({ clinical_assessment: v })} rows={8} />
        <Select label="Standard of care" value={note.standard_of_care} onChange={(v) => edit({ standard_of_care: v as CaseNote["standard_of_care"] })} options={STANDARD} />
        <TextArea label="Recommendations" value={note.recommendations ?? ""} onChange={(v) => edit({ recommendations: v })} rows={4} />
        <ErrorBox error={error} />
        {saved && <p role="status" className="ok">{saved}</p>}
        {dirty && !saved && <p className="muted" role="status">Draft kept in the vault as you type.</p>}
        <button type="submit" className="primary" aria-keyshortcuts="Control+S">Save case note <Kbd>Ctrl+S</Kbd></button>
      </form>
      {currentId && meta && (
        <>
          <Attachments recordId={currentId} />
          <PsesActions meta={meta} go={go} onChanged={setMeta} />
          <button type="button" onClick={() => go({ name: "history", id: currentId })}>PSES history</button>
        </>
      )}
    </div>
  );
}
