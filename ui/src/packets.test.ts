import { describe, expect, it } from "vitest";
import type { PacketOutcome, ReceivedRow, RecordMeta } from "./api";
import { byPacket, diffFields, fieldName, flatten, outcomeWords, sameValue, shortHash, showValue, suggestedFileName } from "./packets";
import { openRoute, packetCounts } from "./screens/Packets";
import { describeError, showDetail } from "./errors";
import { navForKey, section } from "./routes";

const base = {
  call: { pcr_number: "PK-1", call_date: "2026-10-01", unit: "Medic 7" },
  status: "pending_medical_director",
  recommendations: "first view",
  contributing_factors: ["fatigue"],
  harm: { level: "no_harm", duration: null },
};

describe("the conflict comparison", () => {
  it("lists every field once, ours first, and marks the ones that differ", () => {
    const ours = { ...base, recommendations: "station's view" };
    const theirs = { ...base, recommendations: "laptop's view" };
    const rows = diffFields(ours, theirs);
    expect(rows.map((r) => r.path)).toEqual([
      "/call/pcr_number",
      "/call/call_date",
      "/call/unit",
      "/status",
      "/recommendations",
      "/contributing_factors/0",
      "/harm/level",
      "/harm/duration",
    ]);
    const differing = rows.filter((r) => r.differs);
    expect(differing).toHaveLength(1);
    expect(differing[0]).toMatchObject({ path: "/recommendations", ours: "station's view", theirs: "laptop's view", changedBy: null });
  });

  it("says which side changed a field since the base revision", () => {
    const ours = { ...base, recommendations: "station's view", status: "closed" };
    const theirs = { ...base, recommendations: "laptop's view", harm: { level: "mild_harm", duration: "temporary" } };
    const rows = diffFields(ours, theirs, base);
    const by = Object.fromEntries(rows.filter((r) => r.differs).map((r) => [r.path, r.changedBy]));
    expect(by).toEqual({
      "/status": "here",
      "/recommendations": "both",
      "/harm/level": "there",
      "/harm/duration": "there",
    });
  });

  it("shows a field only one side has, and treats a missing field as empty", () => {
    const ours = { a: 1, list: ["x", "y"] };
    const theirs = { a: 1, list: ["x"], added: "new", nothing: null };
    const rows = diffFields(ours, theirs);
    expect(rows.find((r) => r.path === "/list/1")).toMatchObject({ ours: "y", theirs: null, differs: true });
    expect(rows.find((r) => r.path === "/added")).toMatchObject({ ours: null, theirs: "new", differs: true });
    expect(rows.find((r) => r.path === "/nothing")).toMatchObject({ differs: false });
  });

  it("compares JSON values by content, not key order", () => {
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue(0, null)).toBe(false);
    expect(sameValue("", null)).toBe(false);
  });

  it("flattens to JSON Pointers, keeping empty lists as leaves and escaping keys", () => {
    const m = flatten({ a: { "b/c": 1, "d~e": 2 }, empty: [], none: {} });
    expect([...m.entries()]).toEqual([
      ["/a/b~1c", 1],
      ["/a/d~0e", 2],
      ["/empty", []],
      ["/none", {}],
    ]);
  });

  it("names fields and values in words", () => {
    expect(fieldName("/contributing_factors/0")).toBe("contributing factors › 1");
    expect(fieldName("/harm/level")).toBe("harm › level");
    expect(fieldName("/a/b~1c")).toBe("a › b/c");
    expect(showValue(null)).toBe("—");
    expect(showValue("")).toBe("—");
    expect(showValue([])).toBe("(none)");
    expect(showValue(false)).toBe("false");
    expect(showValue({ x: 1 })).toBe('{"x":1}');
    expect(showValue("mild_harm")).toBe("Mild harm");
    expect(showValue("station's view")).toBe("station's view");
    expect(showValue("toString")).toBe("toString");
  });
});

describe("packet words", () => {
  const outcome = (o: Partial<PacketOutcome>): PacketOutcome => ({
    packet_id: "p",
    already_imported: false,
    added: [],
    revised: [],
    conflicts: [],
    unchanged: [],
    attachments: 0,
    ...o,
  });
  it("say what an import did", () => {
    expect(outcomeWords(outcome({ added: ["a", "b"], revised: ["c"], attachments: 1 }))).toBe(
      "Packet imported: 2 new records, 1 new revision, 0 conflicts, 0 unchanged, 1 attachment.",
    );
    expect(outcomeWords(outcome({ already_imported: true, added: ["a"] }))).toBe("This packet was imported before: nothing changed.");
  });
  it("tell a person what to do when a packet is refused", () => {
    for (const code of ["packet_damaged", "packet_wrong_recipient", "packet_unknown_sender"]) {
      const words = describeError({ code, message: "raw", retryAfterSecs: null });
      expect(words).toMatch(/Nothing was imported/);
      expect(words).not.toBe("raw");
    }
    expect(describeError({ code: "packet_unknown_sender", message: "", retryAfterSecs: null })).toMatch(/Devices and contacts/);
    expect(showDetail("packet_damaged")).toBe(true);
    expect(showDetail("packet_unknown_sender")).toBe(false);
  });
  it("shorten hashes and suggest file names", () => {
    expect(shortHash("0123456789abcdef0123")).toBe("0123456789ab");
    expect(shortHash(null)).toBe("—");
    expect(suggestedFileName("okafor laptop", new Date(2026, 10, 2))).toBe("harbor-packet-okafor_laptop-2026-11-02.hpk");
  });
});

describe("the received view", () => {
  const meta = (id: string): RecordMeta => ({
    id,
    kind: "call_review",
    status: null,
    pses_state: "in_pses",
    title: `Review ${id}`,
    created_at: "",
    created_by: "",
    updated_at: "",
    revision: 1,
    deliberation: false,
  });
  const row = (id: string, packet: string, at: string): ReceivedRow => ({
    record_id: id,
    from_contact: "station",
    origin_revision_hash: "h",
    returned: false,
    packet_id: packet,
    received_at: at,
    record: meta(id),
  });
  it("groups records by packet, newest packet first", () => {
    const groups = byPacket([
      row("a", "p2", "2026-11-02T10:00:00Z"),
      row("b", "p1", "2026-11-01T10:00:00Z"),
      row("c", "p2", "2026-11-02T10:00:00Z"),
    ]);
    expect(groups.map((g) => [g.packetId, g.rows.map((r) => r.record_id)])).toEqual([
      ["p2", ["a", "c"]],
      ["p1", ["b"]],
    ]);
  });
  it("opens each kind on its own screen", () => {
    expect(openRoute("call_review", "x")).toEqual({ name: "review", id: "x" });
    expect(openRoute("case_note", "x")).toEqual({ name: "note", id: "x" });
    expect(openRoute("epcr", "x")).toBeNull();
    expect(packetCounts({ records: 2, epcrs: 0, attachments: 1 })).toBe("2 records, 1 attachment");
    expect(packetCounts({ records: 1, epcrs: 1, attachments: 0 })).toBe("1 record, 1 call (ePCR), 0 attachments");
    expect(packetCounts({ records: 3, epcrs: 3, attachments: 2 })).toBe("3 records, 3 calls (ePCRs), 2 attachments");
  });
  it("is reached with Alt+P", () => {
    expect(navForKey({ altKey: true, ctrlKey: false, metaKey: false, key: "p", code: "KeyP" })).toBe("packets");
    expect(navForKey({ altKey: true, ctrlKey: false, metaKey: false, key: "π", code: "KeyP" })).toBe("packets");
    expect(navForKey({ altKey: true, ctrlKey: false, metaKey: false, key: "q", code: "KeyQ" })).toBeNull();
    expect(section({ name: "packets", tab: "conflicts" })).toBe("packets");
  });
});
