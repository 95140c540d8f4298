// This vault's device identity and its contacts: the vaults it exchanges packets with.
import { useState } from "react";
import { api, type DeviceInfo } from "../../api";
import { dateTime } from "../../format";
import { ErrorBox, TextArea, TextField, useLoad } from "../../ui";

export function ContactsView() {
  const me = useLoad<DeviceInfo>(() => api.deviceIdentity(), []);
  const list = useLoad(() => api.contacts(), []);
  const [name, setName] = useState("");
  const [identity, setIdentity] = useState("");
  const [copied, setCopied] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [box, setBox] = useState<HTMLTextAreaElement | null>(null);

  const add = async () => {
    setError(null);
    setDone(null);
    try {
      const c = await api.contactAdd(name.trim(), identity.trim());
      setName("");
      setIdentity("");
      setDone(`Added ${c.name}. Its fingerprint is ${c.fingerprint}: check that it matches what that vault shows.`);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (n: string) => {
    setError(null);
    setDone(null);
    try {
      await api.contactRemove(n);
      setRemoving(null);
      setDone(`Removed ${n}: packets from it are refused from now on.`);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <section className="panel" aria-labelledby="me-title">
        <h2 id="me-title">This vault's identity</h2>
        <p className="muted">
          Give this line to the other vault's user (they add it as a contact), and read the fingerprint to each other, on the
          phone or side by side, to be sure it arrived unchanged. It is public: it lets others send packets to this vault and
          check that packets come from it.
        </p>
        <ErrorBox error={me.error} />
        {me.data && (
          <>
            <label htmlFor="my-identity">Identity line</label>
            <textarea id="my-identity" className="identity" readOnly rows={2} value={me.data.identity} ref={setBox} onFocus={(e) => e.target.select()} />
            <p>
              Fingerprint: <strong className="fingerprint" data-testid="my-fingerprint">{me.data.fingerprint}</strong>
            </p>
            <button type="button" onClick={async () => setCopied((await copyText(me.data!.identity, box)) ? "The identity line is copied." : "Copying failed: select the line and copy it.")}>
              Copy the identity line
            </button>
            {copied && <span role="status"> {copied}</span>}
          </>
        )}
      </section>
      <section aria-labelledby="contacts-title">
        <h2 id="contacts-title">Contacts</h2>
        <ErrorBox error={list.error} />
        {done && <p role="status" className="ok">{done}</p>}
        {list.data && list.data.length === 0 && <p className="muted">No contacts yet.</p>}
        {(list.data ?? []).length > 0 && (
          <table className="compact">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">Added</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {(list.data ?? []).map((c) => (
                <tr key={c.name}>
                  <td>{c.name}</td>
                  <td><code>{c.fingerprint}</code></td>
                  <td>{dateTime(c.added_at)} by {c.added_by}</td>
                  <td>
                    {removing === c.name ? (
                      <span role="group" aria-label={`Remove ${c.name}?`}>
                        Packets from {c.name} will be refused.{" "}
                        <button type="button" className="danger" onClick={() => void remove(c.name)}>Yes, remove {c.name}</button>{" "}
                        <button type="button" onClick={() => setRemoving(null)}>Cancel</button>
                      </span>
                    ) : (
                      <button type="button" aria-label={`Remove ${c.name}…`} onClick={() => setRemoving(c.name)}>Remove…</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="panel" aria-labelledby="add-contact" onSubmit={(e) => { e.preventDefault(); void add(); }}>
          <h3 id="add-contact">Add a contact</h3>
          <TextField label="Contact name" value={name} onChange={setName} name="contact-name" hint="A short name for that vault, for example okafor-laptop: letters, digits, '.', '-' or '_'." />
          <TextArea label="Their identity line" value={identity} onChange={setIdentity} rows={2} hint="The whole line their Harbor shows under Devices and contacts (or `harbor device show`); it starts with harbor1." />
          <ErrorBox error={error} />
          <button type="submit" className="primary" disabled={!name.trim() || !identity.trim()}>Add the contact</button>
        </form>
      </section>
    </>
  );
}

async function copyText(text: string, fallback: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!fallback) return false;
    fallback.select();
    return document.execCommand("copy");
  }
}
