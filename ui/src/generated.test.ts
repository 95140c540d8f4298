// @vitest-environment node
// The TypeScript types are generated from schemas/: this fails when they are stale.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("generated types", () => {
  it("match schemas/", () => {
    const script = fileURLToPath(new URL("../scripts/gen-types.mjs", import.meta.url));
    let out = "";
    try {
      out = execFileSync(process.execPath, [script, "--check"], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const err = e as { stderr?: string };
      throw new Error(err.stderr ?? String(e));
    }
    expect(out).toMatch(/up to date/);
  }, 60_000);
});
