// Settings: the idle time before Harbor locks, enrolment with the PSO, the submission
// cadence, and the vault's own settings.
import { useEffect, useState } from "react";
import { api, type SessionInfo } from "../api";
import { bytes, date } from "../format";
import { ErrorBox, TextField, useLoad } from "../ui";

export function Settings({ session, onSessionChange }: { session: SessionInfo; onSessionChange: (s: SessionInfo) => void }) {
  const view = useLoad(() => api.settings(), []);
  const [minutes, setMinutes] = useState(String(session.auto_lock_minutes));
  const [url, setUrl] = useState("");
  const [token, setToken] = useState("");
  const [ca, setCa] = useState("");
  const [cadence, setCadence] = useState("monthly");
  const [backingUp, setBackingUp] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (view.data) setMinutes(String(view.data.auto_lock_minutes));
  }, [view.data]);

  const act = async (f: () => Promise<string>) => {
    setError(null);
    setMsg(null);
    try {
      setMsg(await f());
      view.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="screen">
      <h1>Settings</h1>
      <ErrorBox error={view.error ?? error} />
      {msg && <p role="status" className="ok">{msg}</p>}
      <form className="panel" aria-labelledby="autolock-title" onSubmit={(e) => { e.preventDefault(); void act(async () => {
        const m = await api.setAutoLock(Number(minutes));
        onSessionChange({ ...session, auto_lock_minutes: m });
        return `Harbor now locks after ${m} minute${m === 1 ? "" : "s"} without input.`;
      }); }}>
        <h2 id="autolock-title">Lock when idle</h2>
        <p className="muted">After this time without a key press or a click, Harbor drops the vault's key and shows the unlock screen. Forms keep their drafts.</p>
        <TextField label="Minutes without input before Harbor locks" type="number" value={minutes} onChange={setMinutes} name="auto-lock-minutes" hint="From 0.1 to 480; 15 is the default." />
        <button type="submit">Save the idle time</button>
      </form>
      <form className="panel" aria-labelledby="pso-title" onSubmit={(e) => { e.preventDefault(); void act(async () => {
        const r = await api.psoEnroll(url.trim(), token.trim(), ca.trim() || null);
        setToken("");
        return `Enrolled with ${r.url} as agency ${r.agency_id}; the PSO's keys are pinned in the vault.`;
      }); }}>
        <h2 id="pso-title">Patient Safety Organization</h2>
        <p className="muted">Your PSO gives you its address and an enrolment token. Harbor fetches and pins the PSO's keys, and registers this agency's signing key.</p>
        <TextField label="PSO address" value={url} onChange={setUrl} name="pso-url" hint="https://…" />
        <TextField label="Enrolment token" type="password" value={token} onChange={setToken} name="pso-token" />
        <TextField label="CA certificate file (only if your PSO gave you one)" value={ca} onChange={setCa} name="pso-ca" />
        <button type="submit" disabled={!url || !token}>Enrol with the PSO</button>
      </form>
      <form className="panel" aria-labelledby="cadence-title" onSubmit={(e) => { e.preventDefault(); void act(async () => {
        const c = await api.setCadence(cadence);
        return `The agency submits to its PSO every ${c.days} days.`;
      }); }}>
        <h2 id="cadence-title">Submission cadence</h2>
        <p className="muted">
          {view.data?.cadence ? `Every ${view.data.cadence.days} days; next due ${date(view.data.next_submission_due)}.` : "No cadence set."}
        </p>
        <TextField label="Submit every" value={cadence} onChange={setCadence} name="cadence" hint="monthly, weekly, or a number of days" />
        <button type="submit">Save the cadence</button>
      </form>
      <form className="panel" aria-labelledby="backup-title" onSubmit={(e) => { e.preventDefault(); setBackingUp(true); void act(async () => {
        try {
          const b = await api.backup();
          if (!b) return "No backup written: the save dialog was cancelled.";
          return `Wrote an encrypted backup of ${b.records} records (${bytes(b.bytes)}) to ${b.path}. Restore it with the recovery code or a passphrase.`;
        } finally {
          setBackingUp(false);
        }
      }); }}>
        <h2 id="backup-title">Backup</h2>
        <p className="muted">An encrypted copy of the vault and its key slots: it opens only with a passphrase or the recovery code. Keep it away from this computer.</p>
        <p className="muted">Harbor asks where to write it, in a new file (a USB stick is a good place).</p>
        <button type="submit" disabled={backingUp}>{backingUp ? "Writing the backup…" : "Write an encrypted backup…"}</button>
        {backingUp && <progress aria-label="Writing the backup" />}
      </form>
      <section className="panel" aria-labelledby="vault-settings">
        <h2 id="vault-settings">Vault</h2>
        <table className="compact">
          <tbody>
            {(view.data?.settings ?? []).map((s) => (
              <tr key={s.key}><th scope="row">{s.key}</th><td>{s.value}</td><td className="muted">{s.help}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
