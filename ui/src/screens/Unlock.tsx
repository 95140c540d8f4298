// Unlock: user name and passphrase; the throttle's countdown after repeated failures; the
// recovery-code path for a forgotten passphrase.
import { useEffect, useState, type FormEvent } from "react";
import { api, toFailure, type RekeyStatus, type SessionInfo } from "../api";
import { formatWait } from "../errors";
import { ErrorBox, TextField } from "../ui";

export function Unlock(props: {
  notice: string | null;
  initialUser: string;
  onUnlocked: (s: SessionInfo, user: string, newRecoveryCode: string | null, rekey?: RekeyStatus | null) => void;
}) {
  const [mode, setMode] = useState<"passphrase" | "recovery">("passphrase");
  const [user, setUser] = useState(props.initialUser);
  const [pass, setPass] = useState("");
  const [code, setCode] = useState("");
  const [newPass, setNewPass] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (waitUntil === null) return;
    const t = setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (n >= waitUntil) {
        setWaitUntil(null);
        setError(null);
      }
    }, 250);
    return () => clearInterval(t);
  }, [waitUntil]);

  const remaining = waitUntil === null ? 0 : Math.max(0, (waitUntil - now) / 1000);

  const fail = (err: unknown) => {
    const f = toFailure(err);
    setError(f);
    if (f.code === "throttled" && f.retryAfterSecs) {
      setNow(Date.now());
      setWaitUntil(Date.now() + f.retryAfterSecs * 1000);
    }
  };

  const unlock = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const opened = await api.unlock(user.trim(), pass);
      setPass("");
      if (opened.session) props.onUnlocked(opened.session, user.trim(), null);
    } catch (err) {
      setPass("");
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const recover = async (e: FormEvent) => {
    e.preventDefault();
    if (newPass !== again) {
      setError({ code: "invalid_input", message: "The two new passphrases differ." });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const opened = await api.recover(user.trim(), code.trim(), newPass);
      setCode("");
      setNewPass("");
      setAgain("");
      if (opened.session) props.onUnlocked(opened.session, user.trim(), opened.recovery_code, opened.rekey);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const throttled = remaining > 0;
  return (
    <main className="centered">
      {mode === "passphrase" ? (
        <form className="card narrow" onSubmit={unlock} aria-labelledby="unlock-title">
          <h1 id="unlock-title">Unlock Harbor</h1>
          {props.notice && (
            <p className="notice" role="status">
              {props.notice}
            </p>
          )}
          <TextField label="User name" value={user} onChange={setUser} autoFocus={!props.initialUser} name="user" autoComplete="username" />
          <TextField
            label="Passphrase"
            type="password"
            value={pass}
            onChange={setPass}
            autoFocus={!!props.initialUser}
            name="passphrase"
            autoComplete="current-password"
          />
          {throttled ? (
            <div className="error" role="alert" data-code="throttled">
              <p>
                Too many failed attempts. You can try again in <span className="countdown">{formatWait(remaining)}</span>;
                nothing was changed.
              </p>
            </div>
          ) : (
            <ErrorBox error={error} />
          )}
          <button type="submit" className="primary" disabled={busy || throttled || !user || !pass}>
            {busy ? "Unlocking…" : "Unlock"}
          </button>
          <button type="button" className="link" onClick={() => { setMode("recovery"); setError(null); }}>
            Forgot your passphrase? Use the recovery code
          </button>
        </form>
      ) : (
        <form className="card narrow" onSubmit={recover} aria-labelledby="recover-title">
          <h1 id="recover-title">Unlock with the recovery code</h1>
          <p>
            The recovery code was shown once when the vault was set up. It sets a new passphrase for the user you name;
            you then get a new recovery code, and the old one stops working.
          </p>
          <TextField label="User name" value={user} onChange={setUser} autoFocus name="user" />
          <TextField label="Recovery code" value={code} onChange={setCode} name="recovery-code" />
          <TextField label="New passphrase" type="password" value={newPass} onChange={setNewPass} name="new-passphrase" />
          <TextField label="New passphrase again" type="password" value={again} onChange={setAgain} name="new-passphrase-again" />
          {throttled ? (
            <div className="error" role="alert" data-code="throttled">
              <p>
                Too many failed attempts. You can try again in <span className="countdown">{formatWait(remaining)}</span>.
              </p>
            </div>
          ) : (
            <ErrorBox error={error} />
          )}
          <button type="submit" className="primary" disabled={busy || throttled || !user || !code || !newPass}>
            {busy ? "Unlocking…" : "Set the new passphrase and unlock"}
          </button>
          <button type="button" className="link" onClick={() => { setMode("passphrase"); setError(null); }}>
            Back to the passphrase
          </button>
        </form>
      )}
    </main>
  );
}
