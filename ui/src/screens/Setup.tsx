// First run: create the vault and its first administrator; then the recovery code, once.
import { useState, type FormEvent } from "react";
import { api, type RekeyStatus, type SessionInfo } from "../api";
import { ErrorBox, TextField } from "../ui";

export function Setup(props: { vaultDir: string; onCreated: (code: string, s: SessionInfo | null, admin: string) => void }) {
  const [admin, setAdmin] = useState("");
  const [pass, setPass] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMismatch(false);
    if (pass !== again) {
      setMismatch(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const opened = await api.createVault(admin.trim(), pass);
      setPass("");
      setAgain("");
      props.onCreated(opened.recovery_code ?? "", opened.session, admin.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="centered">
      <form className="card narrow" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Set up Harbor</h1>
        <p>
          Harbor keeps your agency's patient safety work in an encrypted vault on this computer. Create the vault and
          its first administrator: the person who adds the other users.
        </p>
        <p className="muted">Vault folder: <code>{props.vaultDir}</code></p>
        <TextField label="Administrator's user name" value={admin} onChange={setAdmin} autoFocus required name="admin" />
        <TextField
          label="Passphrase"
          type="password"
          value={pass}
          onChange={setPass}
          required
          name="passphrase"
          hint="At least 12 characters; a few unrelated words are easy to remember and hard to guess."
        />
        <TextField label="Passphrase again" type="password" value={again} onChange={setAgain} required name="passphrase-again" />
        {mismatch && (
          <div className="error" role="alert">
            <p>The two passphrases differ. Type the same passphrase twice.</p>
          </div>
        )}
        <ErrorBox error={error} />
        <button type="submit" className="primary" disabled={busy || !admin || !pass}>
          {busy ? "Creating the vault…" : "Create the vault"}
        </button>
      </form>
    </main>
  );
}

export function RecoveryCodeOnce(props: { code: string; rekey?: RekeyStatus | null; onDone: () => void }) {
  const [stored, setStored] = useState(false);
  return (
    <main className="centered">
      <section className="card narrow" aria-labelledby="rc-title">
        <h1 id="rc-title">Your recovery code</h1>
        <p>
          This code opens the vault if every passphrase is forgotten. It is shown <strong>only now</strong> and is never
          stored in clear. Write it down and keep it somewhere safe, away from this computer.
        </p>
        <p className="recovery-code" aria-label="Recovery code" data-testid="recovery-code">
          {props.code}
        </p>
        {props.rekey?.status === "done" && (
          <p role="status">
            The vault was re-keyed: a copy of the key slots kept from before no longer opens it with the old code. Backups made
            before still do: keep them as safe as the vault.
          </p>
        )}
        {props.rekey?.status === "not_done" && (
          <p role="alert" className="notice">
            The vault was not re-keyed ({props.rekey.reason}). Until an administrator re-keys it (Users › Re-key the vault), a copy
            of the key slots kept from before still opens it with the old code.
          </p>
        )}
        <label className="check">
          <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} name="stored" />
          I have written down the recovery code and stored it away from this computer.
        </label>
        <button type="button" className="primary" disabled={!stored} onClick={props.onDone}>
          Continue
        </button>
      </section>
    </main>
  );
}
