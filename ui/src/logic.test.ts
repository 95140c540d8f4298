import { describe, expect, it, vi } from "vitest";
import { describeError, formatWait, showDetail } from "./errors";
import { bytes, label, month } from "./format";
import { activityReporter, reportInterval } from "./idle";
import { debouncedSaver } from "./drafts";
import { linePoints, topSeries } from "./chart";
import { navForKey, section } from "./routes";
import { toFailure } from "./api";
import { factorsFromText, nv } from "./screens/Review";
import { pager } from "./screens/RecordList";
import { pathsFromText, percent } from "./screens/Import";
import { parseReceipt } from "./screens/Submissions";
import { treatmentCounts } from "./screens/Promote";
import { cleanInvestigation } from "./screens/Investigation";
import { previewable } from "./screens/Attachments";

describe("error words", () => {
  it("are chosen by code, not by message", () => {
    const wrong = describeError({ code: "wrong_passphrase", message: "anything at all", retryAfterSecs: null });
    expect(wrong).toMatch(/do not match/);
    expect(wrong).not.toMatch(/anything at all/);
  });
  it("say how long to wait when throttled", () => {
    expect(describeError({ code: "throttled", message: "", retryAfterSecs: 125 })).toMatch(/Wait 2 min 05 s/);
    expect(formatWait(0.2)).toBe("1 s");
    expect(formatWait(59)).toBe("59 s");
  });
  it("fall back to the message for an unknown code", () => {
    expect(describeError({ code: "new_code", message: "the service said so", retryAfterSecs: null })).toBe("the service said so");
  });
  it("never show a raw storage message", () => {
    expect(describeError({ code: "storage", message: "SQLITE_BUSY: database is locked", retryAfterSecs: null })).not.toMatch(/SQLITE/);
    expect(showDetail("storage")).toBe(false);
  });
  it("turn the shell's error object into a failure", () => {
    const f = toFailure({ code: "throttled", message: "m", fields: [], retry_after_secs: 9 });
    expect(f.code).toBe("throttled");
    expect(f.retryAfterSecs).toBe(9);
    expect(toFailure("boom").code).toBe("internal");
  });
});

describe("labels", () => {
  it("use the words of the field", () => {
    expect(label("pending_medical_director")).toBe("Pending medical director");
    expect(label("in_pses")).toBe("In the PSES");
    expect(label("some_new_code")).toBe("Some new code");
    expect(label(null)).toBe("—");
    expect(month("2026-03")).toBe("Mar 2026");
    expect(bytes(2048)).toBe("2.0 KiB");
  });
});

describe("activity", () => {
  it("is reported at most once per interval", () => {
    let t = 0;
    const send = vi.fn();
    const r = activityReporter(send, 1000, () => t);
    r.report();
    r.report();
    t = 999;
    r.report();
    expect(send).toHaveBeenCalledTimes(1);
    t = 1000;
    r.report();
    expect(send).toHaveBeenCalledTimes(2);
  });
  it("is reported often enough for a short lock time", () => {
    expect(reportInterval(15)).toBe(10_000);
    expect(reportInterval(0.1)).toBe(1500);
  });
});

describe("drafts", () => {
  it("save the last value once typing pauses, and flush on demand", () => {
    vi.useFakeTimers();
    const saved: string[] = [];
    const s = debouncedSaver<string>((v) => void saved.push(v), 400);
    s.push("a");
    s.push("ab");
    vi.advanceTimersByTime(399);
    expect(saved).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(saved).toEqual(["ab"]);
    s.push("abc");
    expect(s.pending).toBe(true);
    s.flush();
    expect(saved).toEqual(["ab", "abc"]);
    s.push("x");
    s.cancel();
    vi.advanceTimersByTime(1000);
    expect(saved).toEqual(["ab", "abc"]);
    vi.useRealTimers();
  });
});

describe("charts", () => {
  it("keep the largest series and sum the rest as Other", () => {
    const series = [5, 4, 3, 2, 1].map((n, i) => ({ key: `k${i}`, counts: [n, 1], total: n + 1 }));
    const top = topSeries(series, 3);
    expect(top.map((s) => s.key)).toEqual(["k0", "k1", "other"]);
    expect(top[2]!.counts).toEqual([6, 3]);
  });
  it("scale points into the box", () => {
    expect(linePoints([0, 5, 10], 100, 50, 10)).toEqual([[0, 50], [50, 25], [100, 0]]);
    expect(linePoints([3], 100, 50, 3)).toEqual([[50, 0]]);
  });
});

describe("navigation", () => {
  it("maps Alt+digit to the main screens", () => {
    expect(navForKey({ altKey: true, ctrlKey: false, metaKey: false, key: "1", code: "Digit1" })).toBe("dashboard");
    expect(navForKey({ altKey: true, ctrlKey: false, metaKey: false, key: "¡", code: "Digit2" })).toBe("reviews");
    expect(navForKey({ altKey: false, ctrlKey: false, metaKey: false, key: "1" })).toBeNull();
    expect(section({ name: "review", id: "x" })).toBe("reviews");
  });
});

describe("forms", () => {
  it("turn lines into lists", () => {
    expect(factorsFromText(" fatigue \n\n night shift\n")).toEqual(["fatigue", "night shift"]);
    expect(pathsFromText("/a\n /b \n")).toEqual(["/a", "/b"]);
  });
  it("show NEMSIS values with their meaning or why they are absent", () => {
    expect(nv({ value: "2205001", label: "Cardiac arrest" })).toBe("Cardiac arrest (2205001)");
    expect(nv({ not_value: { code: "7701003", label: "Not recorded" } })).toBe("not recorded: Not recorded");
    expect(nv(null)).toBe("—");
  });
  it("clean an investigation for the schema", () => {
    const inv = cleanInvestigation(
      { title: "T", event_summary: "S", event_date: "", five_whys: [" why ", ""], timeline: [{ at: "2026-01-02T03:04", description: " x " }, { at: "", description: "" }], corrective_actions: [{ description: "", owner: "", due_date: "2026-01-01", strength: "weak" }] },
      { people: "tired\n", equipment: "" },
      "a\nb",
    );
    expect(inv.event_date).toBeNull();
    expect(inv.five_whys).toEqual(["why"]);
    expect(inv.timeline).toEqual([{ at: "2026-01-02T03:04:00", description: "x" }]);
    expect(inv.fishbone).toEqual({ people: ["tired"] });
    expect(inv.contributing_factors).toEqual(["a", "b"]);
    expect(inv.corrective_actions).toEqual([]);
  });
});

describe("paging, progress, receipts, previews", () => {
  it("keeps the cursors of earlier pages", () => {
    const p = pager();
    expect(p.current).toBeNull();
    p.next("c1");
    p.next("c2");
    expect(p.pageNumber).toBe(3);
    p.previous();
    expect(p.current).toBe("c1");
    p.reset();
    expect(p.current).toBeNull();
    p.previous();
    expect(p.pageNumber).toBe(1);
  });
  it("computes progress", () => {
    expect(percent(null)).toBe(0);
    expect(percent({ files_done: 1, files_total: 3, reports: 0, elapsed_secs: 0 })).toBe(33);
  });
  it("reads a stored receipt and refuses garbage", () => {
    const r = parseReceipt(JSON.stringify({ key_id: "k", signature: "s", receipt: { audit_head: "h", items: [{ item_id: "i", sha256: "x" }], protocol: "p", received_at: "t", submission_id: "s" } }));
    expect(r?.receipt.items).toHaveLength(1);
    expect(parseReceipt("{")).toBeNull();
    expect(parseReceipt(null)).toBeNull();
  });
  it("counts the de-identification report by treatment", () => {
    expect(treatmentCounts({ record_id: "r", kind: "call_review", deliberation: false, revision: 1, profile: "nonidentifiable", body: {}, attachments: [], report: [
      { field: "/a", treatment: "removed", reason: "" }, { field: "/b", treatment: "removed", reason: "" }, { field: "/c", treatment: "generalised", reason: "" },
    ] })).toEqual({ removed: 2, generalised: 1 });
  });
  it("previews only what the app can show", () => {
    expect(previewable("image/png")).toBe("image");
    expect(previewable("application/pdf")).toBe("pdf");
    expect(previewable("text/csv")).toBeNull();
  });
});

