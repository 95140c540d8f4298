// The records received in case packets, by packet: where each came from, what it is now,
// and a reply to the sender with what changed here.
import { api } from "../../api";
import { dateTime, label } from "../../format";
import { byPacket, shortHash } from "../../packets";
import type { Route } from "../../routes";
import { ErrorBox, useLoad } from "../../ui";
import { openRoute } from "./common";

export function ReceivedView({ go, onReply }: { go: (r: Route) => void; onReply: (packetId: string, from: string) => void }) {
  const rows = useLoad(() => api.received(), []);
  const groups = byPacket(rows.data ?? []);
  return (
    <section aria-labelledby="received-title">
      <h2 id="received-title">Records received in packets</h2>
      <ErrorBox error={rows.error} />
      {rows.data && groups.length === 0 && <p className="muted">No packet has been imported into this vault yet.</p>}
      {groups.map((g) => (
        <article key={g.packetId} className="panel packet-group" aria-label={`Packet ${shortHash(g.packetId)} from ${g.from}`}>
          <div className="screen-head">
            <h3>
              From <strong>{g.from}</strong> · received {dateTime(g.receivedAt)} · packet <code title={g.packetId}>{shortHash(g.packetId)}</code>
            </h3>
            <button type="button" onClick={() => onReply(g.packetId, g.from)}>Reply to this packet…</button>
          </div>
          <table className="compact">
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">Kind</th>
                <th scope="col">Origin record id</th>
                <th scope="col">Origin revision</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {g.rows.map((r) => {
                const to = openRoute(r.record.kind, r.record_id);
                return (
                  <tr key={r.record_id}>
                    <td>
                      {to ? (
                        <button type="button" className="row-link" onClick={() => go(to)}>{r.record.title}</button>
                      ) : (
                        r.record.title
                      )}
                      {r.returned && <span className="muted"> · written here, came back edited</span>}
                    </td>
                    <td>{label(r.record.kind)}</td>
                    <td><code className="id">{r.record_id}</code></td>
                    <td><code title={r.origin_revision_hash}>{shortHash(r.origin_revision_hash)}</code></td>
                    <td>{dateTime(r.received_at)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </article>
      ))}
    </section>
  );
}
