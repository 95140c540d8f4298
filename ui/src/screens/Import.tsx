// Import NEMSIS files or folders: progress while it runs (the work is off the UI thread),
// then the summary: what was imported, what was flagged for review and by which rule, and
// every file that was not imported with its reason.
import { useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import { api, type ImportProgress, type ImportSummary } from "../api";
import { label } from "../format";
import type { Route } from "../routes";
import { ErrorBox, Select, TextArea } from "../ui";

/** The paths typed one per line. */
export function pathsFromText(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter(Boolean);
}

/** The share done, 0 to 100. */
export function percent(p: ImportProgress | null): number {
  if (!p || p.files_total === 0) return 0;
  return Math.round((100 * p.files_done) / p.files_total);
}

export function Import({ go }: { go: (r: Route) => void }) {
  const [paths, setPaths] = useState("");
  const [review, setReview] = useState<"triggered" | "all" | "none">("triggered");
  const [sample, setSample] = useState("");
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<unknown>(null);

  const choose = async (directory: boolean) => {
    const chosen = await open({ multiple: true, directory, title: directory ? "Import NEMSIS folders" : "Import NEMSIS files", filters: directory ? undefined : [{ name: "NEMSIS XML", extensions: ["xml"] }] });
    if (!chosen) return;
    const list = Array.isArray(chosen) ? chosen : [chosen];
    setPaths((p) => [...pathsFromText(p), ...list].join("\n"));
  };

  const run = async () => {
    setRunning(true);
    setError(null);
    setSummary(null);
    setProgress(null);
    try {
      const s = await api.importNemsis(pathsFromText(paths), review, sample ? Number(sample) : null, setProgress);
      setSummary(s);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="screen">
      <h1>Import NEMSIS</h1>
      <p>
        Import the NEMSIS 3.5 export of your ePCR system. Each call becomes a read-only ePCR in the vault; the review
        triggers flag the calls that need a review. Importing the same file twice changes nothing.
      </p>
      <div className="inline">
        <button type="button" onClick={() => void choose(false)} disabled={running}>Choose files…</button>
        <button type="button" onClick={() => void choose(true)} disabled={running}>Choose a folder…</button>
      </div>
      <TextArea label="Files and folders to import (one per line)" value={paths} onChange={setPaths} rows={3} />
      <div className="row2">
        <Select label="Which calls get a review" value={review} onChange={(v) => setReview(v as typeof review)} options={[["triggered", "Calls a trigger rule flags"], ["all", "Every call"], ["none", "None (import the ePCRs only)"]]} />
        <Select label="Also review a random sample of the others" value={sample} onChange={setSample} options={[["", "No sample"], ["2", "2 %"], ["5", "5 %"], ["10", "10 %"]]} />
      </div>
      <button type="button" className="primary" disabled={running || pathsFromText(paths).length === 0} onClick={() => void run()}>
        {running ? "Importing…" : "Start the import"}
      </button>
      {(running || progress) && (
        <div className="progress-block">
          <label htmlFor="import-progress">Files imported</label>
          <progress id="import-progress" max={100} value={percent(progress)} />
          <p role="status" aria-live="polite">
            {progress ? `${progress.files_done} of ${progress.files_total} files, ${progress.reports} calls read (${progress.elapsed_secs.toFixed(1)} s)` : "Reading the files…"}
          </p>
        </div>
      )}
      <ErrorBox error={error} />
      {summary && (
        <section aria-labelledby="import-summary" className="panel">
          <h2 id="import-summary">Import finished</h2>
          <p role="status" className="ok">
            {summary.imported} new calls imported, {summary.updated} updated, {summary.unchanged} already in the vault; {summary.flagged_for_review} flagged for review.
          </p>
          <table className="compact">
            <tbody>
              <tr><th scope="row">Files</th><td>{summary.files}</td></tr>
              <tr><th scope="row">Calls read</th><td>{summary.reports}</td></tr>
              <tr><th scope="row">Imported with warnings</th><td>{summary.with_warnings}</td></tr>
              <tr><th scope="row">Time</th><td>{summary.elapsed_secs.toFixed(1)} s</td></tr>
            </tbody>
          </table>
          {Object.keys(summary.by_rule).length > 0 && (
            <>
              <h3>Flagged by rule</h3>
              <table className="compact">
                <tbody>
                  {Object.entries(summary.by_rule).map(([r, n]) => (
                    <tr key={r}><th scope="row">{label(r)}</th><td>{n}</td></tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {summary.failed.length > 0 && (
            <>
              <h3>Not imported</h3>
              <ul>
                {summary.failed.map((f) => (
                  <li key={f.file}><code>{f.file}</code>: {f.reason}</li>
                ))}
              </ul>
            </>
          )}
          <button type="button" onClick={() => go({ name: "reviews", status: "not_started" })}>See the calls flagged for review</button>
        </section>
      )}
    </div>
  );
}
