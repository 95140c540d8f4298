// Users and roles (administrators): add a user with a role and a first passphrase; disable;
// re-key the vault.
// Other roles see why the screen is not theirs instead of a form the service would refuse.
import { useState } from "react";
import { api, type DisabledUser, type Role } from "../api";
import { dateTime, label } from "../format";
import { ErrorBox, Select, TextField, useLoad } from "../ui";

const ROLES: Role[] = ["quality_officer", "medical_director", "reviewer", "admin"];

export function Users({ role }: { role: Role }) {
  if (role !== "admin") {
    return (
      <div className="screen">
        <h1>Users and roles</h1>
        <p className="notice" role="status">
          Only administrators add, list and disable users. Your role ({label(role)}) does not allow it: ask an administrator.
        </p>
      </div>
    );
  }
  return <UserAdmin />;
}

function UserAdmin() {
  const users = useLoad(() => api.users(), []);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("quality_officer");
  const [pass, setPass] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <div className="screen">
      <h1>Users and roles</h1>
      <ErrorBox error={users.error} />
      <table className="compact">
        <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Added</th><th scope="col">State</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{label(u.role)}</td>
              <td>{dateTime(u.created_at)}</td>
              <td>{u.disabled_at ? `disabled ${dateTime(u.disabled_at)}` : "active"}</td>
              <td>
                {!u.disabled_at && (
                  <button type="button" onClick={async () => { setError(null); try { const d = await api.disableUser(u.name); setDone(disabledMessage(d)); users.reload(); } catch (e) { setError(e); } }}>
                    Disable
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="panel" aria-labelledby="add-user" onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const u = await api.addUser(name.trim(), role, pass);
          setPass("");
          setName("");
          setDone(`Added ${u.name} as ${label(u.role)}. Give them their first passphrase in person; they can change it.`);
          users.reload();
        } catch (err) {
          setError(err);
        }
      }}>
        <h2 id="add-user">Add a user</h2>
        <p className="muted">Quality officers review calls and promote; medical directors write case notes; reviewers read and comment; administrators manage users and settings.</p>
        <TextField label="User name" value={name} onChange={setName} />
        <Select label="Role" value={role} onChange={(v) => setRole(v as Role)} options={ROLES.map((r) => [r, label(r)])} />
        <TextField label="First passphrase" type="password" value={pass} onChange={setPass} />
        <ErrorBox error={error} />
        {done && <p role="status" className="ok">{done}</p>}
        <button type="submit" className="primary" disabled={!name || !pass}>Add the user</button>
      </form>
      <Rekey />
    </div>
  );
}

function disabledMessage(d: DisabledUser): string {
  if (d.rekey.status === "done") {
    return `Disabled ${d.name}. The vault was re-keyed: a copy of the key slots ${d.name} kept no longer opens it. Backups made before still open with the old slots, ${d.name}'s included.`;
  }
  return `Disabled ${d.name}. The vault was not re-keyed (${d.rekey.reason}). Until it is, ${d.name} can still open the database with a copy of the key slots kept from before.`;
}

function Rekey() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="rekey">
      <h2 id="rekey">Re-key the vault</h2>
      <p className="muted">
        Gives the database a new key, sealed to every user's key slot (nobody's passphrase is needed). Copies of the key slots made before, such as one kept by a disabled user, stop opening the vault; backups made before still open with the old slots. Close Harbor on other computers and windows first: it is refused while the vault is open elsewhere.
      </p>
      <ErrorBox error={error} />
      {done && <p role="status" className="ok">{done}</p>}
      <button type="button" disabled={busy} onClick={async () => {
        setError(null);
        setDone(null);
        setBusy(true);
        try {
          const r = await api.rekeyVault();
          setDone(`Re-keyed the vault: ${r.slots} key slots hold the new key. Backups made before still open with the old slots.`);
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}>
        {busy ? "Re-keying…" : "Re-key the vault"}
      </button>
    </section>
  );
}
