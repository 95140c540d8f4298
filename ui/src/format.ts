// Labels in the words of the field, and dates as a person reads them.

const LABELS: Record<string, string> = {
  call_review: "Call review",
  case_note: "Case note",
  investigation: "Investigation",
  epcr: "ePCR",
  not_started: "Not started",
  in_progress: "In progress",
  waiting_for_crew: "Waiting for crew",
  pending_medical_director: "Pending medical director",
  closed: "Closed",
  open: "Open",
  action_plan: "Action plan",
  analysis: "Analysis",
  planned: "Planned",
  done: "Done",
  cancelled: "Cancelled",
  strong: "Strong",
  intermediate: "Intermediate",
  weak: "Weak",
  in_pses: "In the PSES",
  queued: "Queued for the PSO",
  amendment_queued: "Amendment queued",
  reported: "Reported to the PSO",
  dropped_out: "Dropped out",
  original_record: "Original record",
  medication: "Medication",
  airway: "Airway",
  clinical_judgement: "Clinical judgement",
  procedure_skill: "Procedure or skill",
  patient_handling: "Patient handling",
  vehicle_transport: "Vehicle and transport",
  equipment_device: "Equipment or device",
  communication_dispatch: "Communication and dispatch",
  protocol_deviation: "Protocol deviation",
  documentation: "Documentation",
  scene_safety: "Scene safety",
  staffing_resources: "Staffing and resources",
  incident: "Incident (reached the patient)",
  near_miss: "Near miss",
  unsafe_condition: "Unsafe condition",
  death: "Death",
  severe_harm: "Severe harm",
  moderate_harm: "Moderate harm",
  mild_harm: "Mild harm",
  no_harm: "No harm",
  unknown: "Unknown",
  admin: "Administrator (privacy officer)",
  quality_officer: "Quality officer",
  medical_director: "Medical director",
  reviewer: "Reviewer (read and comment)",
  identifiable: "Identifiable (as it is)",
  nonidentifiable: "Non-identifiable (de-identified)",
};

/** A coded value in words; unknown codes are shown with underscores as spaces. */
export function label(code: string | null | undefined): string {
  if (!code) return "—";
  return LABELS[code] ?? code.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** The words for a coded value Harbor knows, or null for anything else (free text). */
export function knownLabel(value: unknown): string | null {
  return typeof value === "string" && Object.hasOwn(LABELS, value) ? LABELS[value]! : null;
}

/** `2026-11-22T21:03:00Z` as `2026-11-22 21:03` in local time. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The date part of an ISO time (local). */
export function date(iso: string | null | undefined): string {
  return dateTime(iso).slice(0, 10);
}

/** A byte count as a person reads it. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** `2026-03` as `Mar 2026`. */
export function month(ym: string): string {
  const [y, m] = ym.split("-");
  const names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const i = Number(m) - 1;
  return names[i] ? `${names[i]} ${y}` : ym;
}
