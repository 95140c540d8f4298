// What the case packet tabs share: the words for a packet's contents, the route that opens
// a received record, one imported file's result.
import type { PacketOutcome, PacketSummary, RecordKind } from "../../api";
import type { Route } from "../../routes";

/** "2 records, 2 calls (ePCRs), 1 attachment": what a written packet carries (calls only when there are any). */
export function packetCounts(p: Pick<PacketSummary, "records" | "epcrs" | "attachments">): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const calls = p.epcrs > 0 ? `, ${n(p.epcrs, "call")} (ePCR${p.epcrs === 1 ? "" : "s"})` : "";
  return `${n(p.records, "record")}${calls}, ${n(p.attachments, "attachment")}`;
}

/** The route that opens a record of this kind. */
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
export interface ImportResult {
  path: string;
  outcome?: PacketOutcome;
  error?: unknown;
}

