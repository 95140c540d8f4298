// A call review beside the call's ePCR summary: the triggers that fired and why, the
// review form (saved as a draft while typing), the status workflow and the sign-off.
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, type HarborRecord } from "../api";
import type { CallReview, EmsCategory, EventType, HarmLevel, HarmDuration, JustCulture } from "../generated/call_review";
import type { EpcrReference, NemsisValue } from "../generated/epcr";
import { useDraftSaver } from "../drafts";
import { dateTime, label } from "../format";
import type { Route } from "../routes";
import { ErrorBox, Kbd, Select, TextArea, useLoad } from "../ui";
import { Attachments } from "./Attachments";
import { PsesActions } from "./PsesActions";

const STATUSES = ["not_started", "in_progress", "waiting_for_crew", "pending_medical_director", "closed"] as const;
const CATEGORIES: EmsCategory[] = [
  "medication", "airway", "clinical_judgement", "procedure_skill", "patient_handling", "vehicle_transport",
  "equipment_device", "communication_dispatch", "protocol_deviation", "documentation", "scene_safety", "staffing_resources",
];
const EVENT_TYPES: EventType[] = ["incident", "near_miss", "unsafe_condition"];
const HARM: HarmLevel[] = ["death", "severe_harm", "moderate_harm", "mild_harm", "no_harm", "unknown"];
const DURATION: HarmDuration[] = ["permanent", "temporary", "unknown"];
const JUST: JustCulture[] = ["human_error", "at_risk_behaviour", "reckless_behaviour", "not_applicable"];

/** What the form edits: the review body minus the read-only sign-off. */
export type ReviewForm = Omit<CallReview, "sign_off">;

/** The form's lines of contributing factors as the list the schema wants. */
export function factorsFromText(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
}

/** A NEMSIS value as text: the value with its label, or the reason it is absent. */
export function nv(v: NemsisValue | null | undefined): string {
  if (!v) return "—";
  if (v.value) return v.label && v.label !== v.value ? `${v.label} (${v.value})` : v.value;
  if (v.label) return v.label;
  if (v.pertinent_negative) return `pertinent negative: ${v.pertinent_negative.label ?? v.pertinent_negative.code}`;
  if (v.not_value) return `not recorded: ${v.not_value.label ?? v.not_value.code}`;
  return "—";
}

function timeOnly(v: NemsisValue | null | undefined): string {
  const t = v?.value;
  if (!t) return "—";
  const m = /T(\d\d:\d\d(:\d\d)?)/.exec(t);
  return m ? m[1]! : t;
}

export function EpcrSummary({ epcr }: { epcr: EpcrReference }) {
  const t = epcr.times ?? {};
  const times: [string, NemsisValue | null | undefined][] = [
    ["Call received", t.psap_call], ["Unit notified", t.unit_notified], ["En route", t.en_route], ["On scene", t.on_scene],
    ["At patient", t.at_patient], ["Left scene", t.left_scene], ["At destination", t.at_destination], ["Transfer of care", t.transfer_of_care],
  ];
  return (
    <section className="epcr" aria-labelledby="epcr-title">
      <h2 id="epcr-title">ePCR {epcr.pcr_number}</h2>
      <dl className="facts">
        <dt>Date</dt><dd>{epcr.call_date ?? "—"}</dd>
        <dt>Unit</dt><dd>{nv(epcr.unit)}</dd>
        <dt>Dispatch complaint</dt><dd>{nv(epcr.dispatch_complaint)}</dd>
        <dt>Chief complaint</dt><dd>{nv(epcr.chief_complaint)}</dd>
        <dt>Primary impression</dt><dd>{nv(epcr.primary_impression)}</dd>
        <dt>Acuity</dt><dd>{nv(epcr.initial_acuity)}</dd>
        <dt>Patient</dt><dd>{nv(epcr.patient?.age)} {nv(epcr.patient?.age_units)}, {nv(epcr.patient?.sex)}</dd>
      </dl>
      <h3>Times</h3>
      <table className="compact">
        <tbody>
          {times.map(([k, v]) => (
            <tr key={k}><th scope="row">{k}</th><td>{timeOnly(v)}</td></tr>
          ))}
        </tbody>
      </table>
      <h3>Vitals</h3>
      {(epcr.vitals ?? []).length === 0 ? <p className="muted">None recorded.</p> : (
        <table className="compact">
          <thead><tr><th scope="col">Time</th><th scope="col">BP</th><th scope="col">HR</th><th scope="col">RR</th><th scope="col">SpO₂</th><th scope="col">EtCO₂</th><th scope="col">GCS</th></tr></thead>
          <tbody>
            {(epcr.vitals ?? []).map((v, i) => (
              <tr key={i}>
                <td>{timeOnly(v.taken_at)}</td>
                <td>{v.systolic?.value ?? "—"}/{v.diastolic?.value ?? "—"}</td>
                <td>{v.heart_rate?.value ?? "—"}</td>
                <td>{v.respiratory_rate?.value ?? "—"}</td>
                <td>{v.spo2?.value ?? "—"}</td>
                <td>{v.etco2?.value ?? "—"}</td>
                <td>{v.gcs_total?.value ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Medications</h3>
      {(epcr.medications ?? []).length === 0 ? <p className="muted">None given.</p> : (
        <ul className="plain">
          {(epcr.medications ?? []).map((m, i) => (
            <li key={i}>{timeOnly(m.given_at)} — {nv(m.medication)} {m.dose?.value ?? ""} {m.dose_units?.label ?? m.dose_units?.value ?? ""} {m.route ? `(${nv(m.route)})` : ""}</li>
          ))}
        </ul>
      )}
      <h3>Procedures</h3>
      {(epcr.procedures ?? []).length === 0 ? <p className="muted">None performed.</p> : (
        <ul className="plain">
          {(epcr.procedures ?? []).map((p, i) => (
            <li key={i}>{timeOnly(p.performed_at)} — {nv(p.procedure)}{p.successful ? `, successful: ${nv(p.successful)}` : ""}{p.attempts ? `, attempts: ${p.attempts.value}` : ""}</li>
          ))}
        </ul>
      )}
      <h3>Narrative</h3>
      <p className="narrative">{epcr.narrative?.value ?? "—"}</p>
    </section>
  );
}

function toForm(body: CallReview): ReviewForm {
  const { sign_off: _omit, ...rest } = body;
  void _omit;
  return rest;
}

export function Review({ id, siblings, go }: { id: string; siblings: string[]; go: (r: Route) => void }) {
  const rec = useLoad(() => api.record<CallReview>(id), [id]);
  const [form, setForm] = useState<ReviewForm | null>(null);
  const [factors, setFactors] = useState("");
  const [dirty, setDirty] = useState(false);
  const [restored, setRestored] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [epcr, setEpcr] = useState<HarborRecord<EpcrReference> | null>(null);
  const draftKey = `call_review:${id}`;

  useEffect(() => {
    const r = rec.data;
    if (!r) return;
    let live = true;
    api.loadDraft<{ form: ReviewForm; factors: string }>(draftKey).then((d) => {
      if (!live) return;
      if (d) {
        setForm(d.body.form);
        setFactors(d.body.factors);
        setRestored(d.updated_at);
        setDirty(true);
      } else {
        setForm(toForm(r.body));
        setFactors((r.body.contributing_factors ?? []).join("\n"));
      }
    }).catch(setError);
    const epcrId = r.body.call.epcr_id;
    if (epcrId) api.record<EpcrReference>(epcrId).then((e) => live && setEpcr(e)).catch(() => {});
    return () => {
      live = false;
    };
  }, [rec.data, draftKey]);

  const draftValue = useMemo(() => ({ form, factors }), [form, factors]);
  const drafts = useDraftSaver(draftKey, draftValue, dirty);

  const edit = (patch: Partial<ReviewForm>) => {
    setForm((f) => (f ? { ...f, ...patch } : f));
    setDirty(true);
    setSaved(null);
  };

  const save = useCallback(async () => {
    if (!form) return;
    setSaving(true);
    setError(null);
    try {
      const body = { ...form, contributing_factors: factorsFromText(factors) };
      const meta = await api.update(id, body);
      drafts.cancel();
      await api.discardDraft(draftKey);
      setDirty(false);
      setRestored(null);
      setSaved(`Saved: revision ${meta.revision}.`);
      rec.reload();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  }, [form, factors, id, draftKey, drafts, rec]);

  const signOff = useCallback(async () => {
    setError(null);
    try {
      if (dirty) await save();
      const meta = await api.signOff(id);
      setSaved(`Signed off: revision ${meta.revision}.`);
      rec.reload();
    } catch (e) {
      setError(e);
    }
  }, [dirty, save, id, rec]);

  const idx = siblings.indexOf(id);
  const prev = idx > 0 ? siblings[idx - 1] : undefined;
  const next = idx >= 0 && idx < siblings.length - 1 ? siblings[idx + 1] : undefined;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && !e.shiftKey && e.key.toLowerCase() === "s") {
        e.preventDefault();
        void save();
      } else if (e.ctrlKey && e.shiftKey && e.key === "Enter") {
        e.preventDefault();
        void signOff();
      } else if (e.altKey && e.key === "ArrowDown" && next) {
        e.preventDefault();
        go({ name: "review", id: next, siblings });
      } else if (e.altKey && e.key === "ArrowUp" && prev) {
        e.preventDefault();
        go({ name: "review", id: prev, siblings });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save, signOff, next, prev, go, siblings]);

  const r = rec.data;
  if (rec.error) return <div className="screen"><ErrorBox error={rec.error} /></div>;
  if (!r || !form) return <div className="screen" aria-busy="true"><p>Opening the review…</p></div>;
  const signedOff = r.body.sign_off;
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Call review: PCR {r.body.call.pcr_number}</h1>
        <div className="toolbar">
          <button type="button" disabled={!prev} onClick={() => prev && go({ name: "review", id: prev, siblings })} aria-keyshortcuts="Alt+ArrowUp">
            Previous call <Kbd>Alt+↑</Kbd>
          </button>
          <button type="button" disabled={!next} onClick={() => next && go({ name: "review", id: next, siblings })} aria-keyshortcuts="Alt+ArrowDown">
            Next call <Kbd>Alt+↓</Kbd>
          </button>
        </div>
      </div>
      <p className="muted">
        {label(r.status)} · {label(r.pses_state)} · revision {r.revision} · last change {dateTime(r.updated_at)}
        {signedOff ? ` · signed off by ${signedOff.by} on ${dateTime(signedOff.at)}` : ""}
      </p>
      <div className="split">
        <div className="split-left">
          {epcr ? <EpcrSummary epcr={epcr.body} /> : (
            <section className="epcr"><h2>The call</h2><p>PCR {r.body.call.pcr_number}, {r.body.call.call_date}{r.body.call.unit ? `, unit ${r.body.call.unit}` : ""}.</p><p className="muted">No imported ePCR is linked to this review.</p></section>
          )}
        </div>
        <div className="split-right">
        <form onSubmit={(e) => { e.preventDefault(); void save(); }} aria-label="Review">
          <section aria-labelledby="triggers-title">
            <h2 id="triggers-title">Why this call was flagged</h2>
            {(form.triggers ?? []).length === 0 ? <p className="muted">No trigger fired: the call was chosen by hand.</p> : (
              <ul className="triggers">
                {(form.triggers ?? []).map((t) => (
                  <li key={t.rule}><strong>{label(t.rule)}</strong>: {t.detail}</li>
                ))}
              </ul>
            )}
          </section>
          {restored && (
            <p className="notice" role="status">
              Your unsaved changes from {dateTime(restored)} were restored.{" "}
              <button type="button" className="link" onClick={() => { drafts.cancel(); void api.discardDraft(draftKey).then(() => { setRestored(null); setDirty(false); setForm(toForm(r.body)); setFactors((r.body.contributing_factors ?? []).join("\n")); }); }}>
                Discard them
              </button>
            </p>
          )}
          <Select label="Review status" value={form.status ?? "not_started"} onChange={(v) => edit({ status: v as ReviewForm["status"] })} options={STATUSES.map((s) => [s, label(s)])} />
          <Select label="Event type" value={form.event_type ?? ""} onChange={(v) => edit({ event_type: (v || null) as EventType | null })} options={[["", "No safety event found"], ...EVENT_TYPES.map((s): [string, string] => [s, label(s)])]} hint="Common Formats: did the event reach the patient?" />
          <fieldset className="checks">
            <legend>EMS event categories</legend>
            {CATEGORIES.map((c) => (
              <label key={c} className="check">
                <input
                  type="checkbox"
                  checked={(form.ems_categories ?? []).includes(c)}
                  onChange={(e) => edit({ ems_categories: e.target.checked ? [...(form.ems_categories ?? []), c] : (form.ems_categories ?? []).filter((x) => x !== c) })}
                />
                {label(c)}
              </label>
            ))}
          </fieldset>
          <div className="row2">
            <Select label="Harm to the patient" value={form.harm?.level ?? ""} onChange={(v) => edit({ harm: v ? { level: v as HarmLevel, duration: form.harm?.duration ?? null } : null })} options={[["", "Not assessed"], ...HARM.map((s): [string, string] => [s, label(s)])]} hint="AHRQ Harm Scale" />
            <Select label="Harm duration" value={form.harm?.duration ?? ""} onChange={(v) => form.harm && edit({ harm: { ...form.harm, duration: (v || null) as HarmDuration | null } })} options={[["", "—"], ...DURATION.map((s): [string, string] => [s, label(s)])]} />
          </div>
          <Select label="Just Culture: the behaviour involved" value={form.just_culture ?? ""} onChange={(v) => edit({ just_culture: (v || null) as JustCulture | null })} options={[["", "Not classified"], ...JUST.map((s): [string, string] => [s, label(s)])]} hint="Classify the behaviour, not the outcome. Never sent in a non-identifiable submission." />
          <TextArea label="Contributing factors (one per line)" value={factors} onChange={(v) => { setFactors(v); setDirty(true); setSaved(null); }} rows={3} />
          <TextArea label="Recommendations" value={form.recommendations ?? ""} onChange={(v) => edit({ recommendations: v })} rows={4} />
          <ErrorBox error={error} />
          {saved && <p role="status" className="ok">{saved}</p>}
          {dirty && !saved && <p className="muted" role="status">Draft kept in the vault as you type.</p>}
          <div className="toolbar">
            <button type="submit" className="primary" disabled={saving} aria-keyshortcuts="Control+S">
              Save review <Kbd>Ctrl+S</Kbd>
            </button>
            <button type="button" onClick={() => void signOff()} disabled={!!signedOff && !dirty} aria-keyshortcuts="Control+Shift+Enter">
              Sign off <Kbd>Ctrl+Shift+Enter</Kbd>
            </button>
            <button type="button" onClick={() => go({ name: "note", subject: id })}>Write a case note</button>
            <button type="button" onClick={() => go({ name: "history", id })}>PSES history</button>
          </div>
        </form>
          <Attachments recordId={id} />
          <PsesActions meta={r} go={go} onChanged={() => rec.reload()} />
        </div>
      </div>
    </div>
  );
}
