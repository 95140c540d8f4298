// The logic of the case packet screens, kept apart from React so it is unit-tested: the
// field-by-field comparison of a conflict, the words for an import's outcome, and the
// received records grouped by the packet they came in.
import type { PacketOutcome, ReceivedRow } from "./api";
import { knownLabel } from "./format";

/** Which side changed a field since the revision the incoming edit was made on. */
export type ChangedBy = "here" | "there" | "both" | null;

/** One field of a conflict: this vault's value beside the incoming one. */
export interface FieldDiff {
  /** JSON Pointer of the field (`/harm/level`, `/contributing_factors/0`). */
  path: string;
  ours: unknown;
  theirs: unknown;
  /** Whether the two sides hold different values. */
  differs: boolean;
  /** With the base revision known: who changed the field since it. */
  changedBy: ChangedBy;
}

const MISSING = Symbol("missing");

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function escape(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The leaves of a JSON value by JSON Pointer (an empty object or array is a leaf). */
export function flatten(value: unknown, prefix = "", out: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, `${prefix}/${escape(k)}`, out);
  } else if (Array.isArray(value) && value.length > 0) {
    value.forEach((v, i) => flatten(v, `${prefix}/${i}`, out));
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** Deep equality of JSON values (key order does not matter; a missing key equals null). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === MISSING || a === undefined) a = null;
  if (b === MISSING || b === undefined) b = null;
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

/**
 * This vault's body beside the incoming one, field by field, in the order the fields first
 * appear (ours first). With `base` (the revision the incoming edit was made on), each
 * differing field says which side changed it since.
 */
export function diffFields(ours: unknown, theirs: unknown, base?: unknown): FieldDiff[] {
  const a = flatten(ours);
  const b = flatten(theirs);
  const c = base === undefined ? null : flatten(base);
  const paths = [...a.keys()];
  for (const p of b.keys()) if (!a.has(p)) paths.push(p);
  return paths.map((path) => {
    const o = a.has(path) ? a.get(path) : MISSING;
    const t = b.has(path) ? b.get(path) : MISSING;
    const differs = !sameValue(o, t);
    let changedBy: ChangedBy = null;
    if (differs && c) {
      const was = c.has(path) ? c.get(path) : MISSING;
      const here = !sameValue(was, o);
      const there = !sameValue(was, t);
      changedBy = here && there ? "both" : here ? "here" : there ? "there" : null;
    }
    return { path, ours: o === MISSING ? null : o, theirs: t === MISSING ? null : t, differs, changedBy };
  });
}

/** A field's value as a person reads it (a known code in words). */
export function showValue(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "string") return knownLabel(v) ?? v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.length === 0) return "(none)";
  if (isObject(v) && Object.keys(v).length === 0) return "(none)";
  return JSON.stringify(v);
}

/** A JSON Pointer as words: `/harm/level` → `harm › level`, `/contributing_factors/0` → `contributing factors › 1`. */
export function fieldName(path: string): string {
  if (!path) return "(the whole record)";
  return path
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? String(Number(p) + 1) : p.replace(/_/g, " ")))
    .join(" › ");
}

/** The first 12 characters of a revision hash: enough to tell revisions apart by eye. */
export function shortHash(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 12) : "—";
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What an import did, in one sentence. */
export function outcomeWords(o: PacketOutcome): string {
  if (o.already_imported) return "This packet was imported before: nothing changed.";
  const parts = [
    count(o.added.length, "new record", "new records"),
    count(o.revised.length, "new revision", "new revisions"),
    count(o.conflicts.length, "conflict", "conflicts"),
    `${o.unchanged.length} unchanged`,
    count(o.attachments, "attachment", "attachments"),
  ];
  return `Packet imported: ${parts.join(", ")}.`;
}

/** The received records grouped by packet, newest packet first (the rows come newest first). */
export function byPacket(rows: ReceivedRow[]): { packetId: string; from: string; receivedAt: string; rows: ReceivedRow[] }[] {
  const groups = new Map<string, { packetId: string; from: string; receivedAt: string; rows: ReceivedRow[] }>();
  for (const r of rows) {
    let g = groups.get(r.packet_id);
    if (!g) {
      g = { packetId: r.packet_id, from: r.from_contact, receivedAt: r.received_at, rows: [] };
      groups.set(r.packet_id, g);
    }
    g.rows.push(r);
    if (r.received_at > g.receivedAt) g.receivedAt = r.received_at;
  }
  return [...groups.values()].sort((x, y) => (x.receivedAt < y.receivedAt ? 1 : x.receivedAt > y.receivedAt ? -1 : 0));
}

/** A file name for a new packet: `harbor-packet-<contact>-<yyyy-mm-dd>.hpk`. */
export function suggestedFileName(contact: string, now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const day = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
  const safe = contact.replace(/[^A-Za-z0-9._-]/g, "_") || "contact";
  return `harbor-packet-${safe}-${day}.hpk`;
}
