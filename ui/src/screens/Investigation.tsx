// An investigation: the event summary, a timeline, 5 whys, fishbone factors, contributing
// factors and corrective actions with owner, due date, strength and status. Saved as a
// draft while typing; an investigation is a deliberation.
import { useEffect, useMemo, useState } from "react";
import { api, type RecordMeta } from "../api";
import type { CorrectiveAction, Fishbone1, Investigation, TimelineEntry } from "../generated/investigation";
import type { EmsCategory, EventType, HarmLevel } from "../generated/call_review";
import { useDraftSaver } from "../drafts";
import { dateTime, label } from "../format";
import type { Route } from "../routes";
import { ErrorBox, Field, Kbd, Select, TextArea, TextField } from "../ui";
import { Attachments } from "./Attachments";
import { PsesActions } from "./PsesActions";
import { factorsFromText } from "./Review";

const STATUSES = ["open", "analysis", "action_plan", "closed"] as const;
const BONES: [keyof Fishbone1, string][] = [
  ["people", "People"], ["equipment", "Equipment"], ["methods", "Methods and procedures"],
  ["materials", "Materials and supplies"], ["measurement", "Measurement"], ["environment", "Environment"],
];
const EVENT_TYPES: EventType[] = ["incident", "near_miss", "unsafe_condition"];
const HARM: HarmLevel[] = ["death", "severe_harm", "moderate_harm", "mild_harm", "no_harm", "unknown"];
const CATEGORIES: EmsCategory[] = [
  "medication", "airway", "clinical_judgement", "procedure_skill", "patient_handling", "vehicle_transport",
  "equipment_device", "communication_dispatch", "protocol_deviation", "documentation", "scene_safety", "staffing_resources",
];

const EMPTY: Investigation = { title: "", event_summary: "", status: "open", timeline: [], five_whys: [""], fishbone: {}, contributing_factors: [], corrective_actions: [], ems_categories: [] };

/** The form keeps lists of lines as text; this turns them back into the record. */
export function cleanInvestigation(inv: Investigation, bones: Record<string, string>, factors: string): Investigation {
  const fishbone: Fishbone1 = {};
  for (const [k] of BONES) {
    const lines = factorsFromText(bones[k] ?? "");
    if (lines.length) fishbone[k] = lines;
  }
  return {
    ...inv,
    event_date: inv.event_date || null,
    five_whys: (inv.five_whys ?? []).map((w) => w.trim()).filter(Boolean),
    timeline: (inv.timeline ?? []).filter((t) => t.at && t.description.trim()).map((t) => ({ at: t.at.length === 16 ? `${t.at}:00` : t.at, description: t.description.trim() })),
    fishbone,
    contributing_factors: factorsFromText(factors),
    corrective_actions: (inv.corrective_actions ?? []).filter((a) => a.description.trim()),
  };
}

type FormState = { inv: Investigation; bones: Record<string, string>; factors: string };

function toFormState(inv: Investigation): FormState {
  const bones: Record<string, string> = {};
  for (const [k] of BONES) bones[k] = (inv.fishbone?.[k] ?? []).join("\n");
  return { inv: { ...inv, five_whys: inv.five_whys?.length ? inv.five_whys : [""] }, bones, factors: (inv.contributing_factors ?? []).join("\n") };
}

export function InvestigationForm({ id, go }: { id?: string; go: (r: Route) => void }) {
  const [state, setState] = useState<FormState | null>(null);
  const [meta, setMeta] = useState<RecordMeta | null>(null);
  const [currentId, setCurrentId] = useState(id);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const draftKey = id ? `investigation:${id}` : "new:investigation";

  useEffect(() => {
    let live = true;
    (async () => {
      const d = await api.loadDraft<FormState>(draftKey);
      let base = EMPTY;
      if (id) {
        const r = await api.record<Investigation>(id);
        if (!live) return;
        setMeta(r);
        base = r.body;
      }
      if (!live) return;
      if (d) {
        setState(d.body);
        setRestored(d.updated_at);
        setDirty(true);
      } else setState(toFormState(base));
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, draftKey]);

  const draft = useMemo(() => state, [state]);
  const drafts = useDraftSaver(draftKey, draft, dirty);
  const edit = (patch: Partial<Investigation>) => {
    setState((s) => (s ? { ...s, inv: { ...s.inv, ...patch } } : s));
    setDirty(true);
    setSaved(null);
  };

  const save = async () => {
    if (!state) return;
    setError(null);
    try {
      const body = cleanInvestigation(state.inv, state.bones, state.factors);
      const m = currentId ? await api.update(currentId, body) : await api.create("investigation", body);
      drafts.cancel();
      await api.discardDraft(draftKey);
      setDirty(false);
      setRestored(null);
      setMeta(m);
      setCurrentId(m.id);
      setSaved(`Investigation saved (revision ${m.revision}).`);
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

  if (!state) return <div className="screen" aria-busy="true"><ErrorBox error={error} /><p>Opening…</p></div>;
  const inv = state.inv;
  const timeline = inv.timeline ?? [];
  const whys = inv.five_whys ?? [];
  const actions = inv.corrective_actions ?? [];
  const setTimeline = (t: TimelineEntry[]) => edit({ timeline: t });
  const setActions = (a: CorrectiveAction[]) => edit({ corrective_actions: a });
  return (
    <div className="screen">
      <h1>{currentId ? `Investigation: ${inv.title}` : "New investigation"}</h1>
      {meta && <p className="muted">{label(meta.status)} · {label(meta.pses_state)} · revision {meta.revision} · last change {dateTime(meta.updated_at)}</p>}
      {restored && <p className="notice" role="status">Your unsaved changes from {dateTime(restored)} were restored.</p>}
      <form onSubmit={(e) => { e.preventDefault(); void save(); }} aria-label="Investigation" className="investigation">
        <section aria-labelledby="inv-summary">
          <h2 id="inv-summary">The event</h2>
          <TextField label="Title" value={inv.title} onChange={(v) => edit({ title: v })} hint="No patient or crew names: titles appear in lists." />
          <div className="row2">
            <Select label="Status" value={inv.status ?? "open"} onChange={(v) => edit({ status: v as Investigation["status"] })} options={STATUSES.map((s) => [s, label(s)])} />
            <TextField label="Event date" type="date" value={inv.event_date ?? ""} onChange={(v) => edit({ event_date: v || null })} />
          </div>
          <TextArea label="Event summary" value={inv.event_summary} onChange={(v) => edit({ event_summary: v })} rows={4} />
          <div className="row2">
            <Select label="Event type" value={inv.event_type ?? ""} onChange={(v) => edit({ event_type: (v || null) as EventType | null })} options={[["", "—"], ...EVENT_TYPES.map((s): [string, string] => [s, label(s)])]} />
            <Select label="Harm to the patient" value={inv.harm?.level ?? ""} onChange={(v) => edit({ harm: v ? { level: v as HarmLevel } : null })} options={[["", "Not assessed"], ...HARM.map((s): [string, string] => [s, label(s)])]} />
          </div>
          <fieldset className="checks">
            <legend>EMS event categories</legend>
            {CATEGORIES.map((c) => (
              <label key={c} className="check">
                <input type="checkbox" checked={(inv.ems_categories ?? []).includes(c)} onChange={(e) => edit({ ems_categories: e.target.checked ? [...(inv.ems_categories ?? []), c] : (inv.ems_categories ?? []).filter((x) => x !== c) })} />
                {label(c)}
              </label>
            ))}
          </fieldset>
        </section>
        <section aria-labelledby="inv-timeline">
          <h2 id="inv-timeline">Timeline</h2>
          <ol className="timeline">
            {timeline.map((t, i) => (
              <li key={i} className="inline">
                <label className="sr-only" htmlFor={`tl-at-${i}`}>Time of step {i + 1}</label>
                <input id={`tl-at-${i}`} type="datetime-local" value={t.at.slice(0, 16)} onChange={(e) => setTimeline(timeline.map((x, j) => (j === i ? { ...x, at: e.target.value } : x)))} />
                <label className="sr-only" htmlFor={`tl-d-${i}`}>What happened at step {i + 1}</label>
                <input id={`tl-d-${i}`} className="grow" type="text" value={t.description} onChange={(e) => setTimeline(timeline.map((x, j) => (j === i ? { ...x, description: e.target.value } : x)))} />
                <button type="button" onClick={() => setTimeline(timeline.filter((_, j) => j !== i))} aria-label={`Remove step ${i + 1}`}>Remove</button>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => setTimeline([...timeline, { at: "", description: "" }])}>Add a step</button>
        </section>
        <section aria-labelledby="inv-whys">
          <h2 id="inv-whys">5 whys</h2>
          <ol>
            {whys.map((w, i) => (
              <li key={i}>
                <label className="sr-only" htmlFor={`why-${i}`}>Why {i + 1}</label>
                <input id={`why-${i}`} type="text" value={w} placeholder={i === 0 ? "Why did it happen?" : "And why was that?"} onChange={(e) => edit({ five_whys: whys.map((x, j) => (j === i ? e.target.value : x)) })} />
              </li>
            ))}
          </ol>
          {whys.length < 7 && <button type="button" onClick={() => edit({ five_whys: [...whys, ""] })}>Ask why again</button>}
        </section>
        <section aria-labelledby="inv-fishbone">
          <h2 id="inv-fishbone">Fishbone: contributing causes by category (one per line)</h2>
          <div className="fishbone">
            {BONES.map(([k, l]) => (
              <Field key={k} label={l}>
                {(fid) => (
                  <textarea id={fid} rows={3} value={state.bones[k] ?? ""} onChange={(e) => { const v = e.target.value; setState((s) => (s ? { ...s, bones: { ...s.bones, [k]: v } } : s)); setDirty(true); setSaved(null); }} />
                )}
              </Field>
            ))}
          </div>
          <TextArea label="Contributing factors (one per line)" value={state.factors} onChange={(v) => { setState((s) => (s ? { ...s, factors: v } : s)); setDirty(true); setSaved(null); }} rows={3} />
        </section>
        <section aria-labelledby="inv-actions">
          <h2 id="inv-actions">Corrective actions</h2>
          <p className="muted">Strength follows the RCA² hierarchy: strong actions change the system (forcing functions, standardised equipment); weak ones rely on people remembering (training, warnings).</p>
          <table className="compact actions">
            <thead><tr><th scope="col">Action</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Strength</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Remove</span></th></tr></thead>
            <tbody>
              {actions.map((a, i) => {
                const set = (p: Partial<CorrectiveAction>) => setActions(actions.map((x, j) => (j === i ? { ...x, ...p } : x)));
                return (
                  <tr key={i}>
                    <td><input aria-label={`Action ${i + 1}`} type="text" value={a.description} onChange={(e) => set({ description: e.target.value })} /></td>
                    <td><input aria-label={`Owner of action ${i + 1}`} type="text" value={a.owner} onChange={(e) => set({ owner: e.target.value })} /></td>
                    <td><input aria-label={`Due date of action ${i + 1}`} type="date" value={a.due_date} onChange={(e) => set({ due_date: e.target.value })} /></td>
                    <td>
                      <select aria-label={`Strength of action ${i + 1}`} value={a.strength} onChange={(e) => set({ strength: e.target.value as CorrectiveAction["strength"] })}>
                        {(["strong", "intermediate", "weak"] as const).map((s) => <option key={s} value={s}>{label(s)}</option>)}
                      </select>
                    </td>
                    <td>
                      <select aria-label={`Status of action ${i + 1}`} value={a.status ?? "planned"} onChange={(e) => set({ status: e.target.value as CorrectiveAction["status"] })}>
                        {(["planned", "in_progress", "done", "cancelled"] as const).map((s) => <option key={s} value={s}>{label(s)}</option>)}
                      </select>
                    </td>
                    <td><button type="button" onClick={() => setActions(actions.filter((_, j) => j !== i))} aria-label={`Remove action ${i + 1}`}>Remove</button></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" onClick={() => setActions([...actions, { description: "", owner: "", due_date: new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10), strength: "intermediate", status: "planned" }])}>
            Add a corrective action
          </button>
        </section>
        <ErrorBox error={error} />
        {saved && <p role="status" className="ok">{saved}</p>}
        {dirty && !saved && <p className="muted" role="status">Draft kept in the vault as you type.</p>}
        <button type="submit" className="primary" aria-keyshortcuts="Control+S">Save investigation <Kbd>Ctrl+S</Kbd></button>
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
