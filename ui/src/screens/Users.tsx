// Users and roles (administrators): add a user with a role and a first passphrase; disable.
// Other roles see why the screen is not theirs instead of a form the service would refuse.
import { useState } from "react";
import { api, type Role } from "../api";
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
                  <button type="button" onClick={async () => { setError(null); try { await api.disableUser(u.name); setDone(`Disabled ${u.name}.`); users.reload(); } catch (e) { setError(e); } }}>
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
    </div>
  );
}
