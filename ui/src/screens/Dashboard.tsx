// The dashboard: calls waiting for review, reviews by status, what is queued for the PSO
// and when the next submission is due, and trends by category, event type and harm.
import { api } from "../api";
import { TrendChart } from "../chart";
import { date, dateTime, label } from "../format";
import type { Route } from "../routes";
import { ErrorBox, useLoad } from "../ui";

const STATUSES = ["not_started", "in_progress", "waiting_for_crew", "pending_medical_director", "closed"];

export function Dashboard({ go }: { go: (r: Route) => void }) {
  const status = useLoad(() => api.status(), []);
  const dash = useLoad(() => api.dashboard(), []);
  const flagged = useLoad(() => api.list({ kind: "call_review", status: "not_started", limit: 8 }), []);
  const s = status.data;
  const d = dash.data;
  return (
    <div className="screen">
      <h1>Dashboard</h1>
      <ErrorBox error={status.error ?? dash.error ?? flagged.error} />
      {s?.policy_needs_review && (
        <p className="notice" role="status">
          The PSES policy is still Harbor's template. A court asks for the agency's own when privilege is challenged.{" "}
          <button type="button" className="link" onClick={() => go({ name: "policy" })}>Review the PSES policy</button>
        </p>
      )}
      <div className="tiles">
        <button type="button" className="tile" onClick={() => go({ name: "reviews", status: "not_started" })}>
          <span className="tile-number">{s?.reviews_not_started ?? "…"}</span>
          <span className="tile-label">calls flagged and waiting for review</span>
        </button>
        <button type="button" className="tile" onClick={() => go({ name: "submissions" })}>
          <span className="tile-number">{s?.queued ?? "…"}</span>
          <span className="tile-label">snapshots queued for the PSO</span>
        </button>
        <div className="tile" role="group" aria-label="Next submission">
          <span className="tile-number small">
            {s ? (s.next_submission_due ? date(s.next_submission_due) : "not set") : "…"}
          </span>
          <span className="tile-label">
            {s?.cadence
              ? `next submission${s.due_now ? " — due now" : ""} (every ${s.cadence.days} days)`
              : "no submission cadence: set one in Settings"}
          </span>
        </div>
      </div>
      <div className="columns">
        <section aria-labelledby="flagged-title" className="panel">
          <h2 id="flagged-title">Flagged for review</h2>
          {flagged.data && flagged.data.items.length === 0 && <p className="muted">No call is waiting for review.</p>}
          <ul className="plain">
            {flagged.data?.items.map((r) => (
              <li key={r.id}>
                <button type="button" className="row-link" onClick={() => go({ name: "review", id: r.id, siblings: flagged.data!.items.map((x) => x.id) })}>
                  <span>{r.title}</span>
                  <span className="muted">{dateTime(r.created_at)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="by-status-title" className="panel">
          <h2 id="by-status-title">Reviews by status</h2>
          <table>
            <tbody>
              {STATUSES.map((st) => (
                <tr key={st}>
                  <th scope="row">
                    <button type="button" className="link" onClick={() => go({ name: "reviews", status: st })}>
                      {label(st)}
                    </button>
                  </th>
                  <td className="num">{d?.reviews_by_status[st] ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Records in the PSES</h2>
          <table>
            <tbody>
              {Object.entries(s?.by_pses_state ?? {}).map(([k, n]) => (
                <tr key={k}>
                  <th scope="row">{label(k)}</th>
                  <td className="num">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <h2>Trends by month</h2>
      {d && (
        <div className="charts">
          <TrendChart title="By EMS event category" months={d.months} series={d.by_category} />
          <TrendChart title="By event type" months={d.months} series={d.by_event_type} />
          <TrendChart title="By harm" months={d.months} series={d.by_harm} />
        </div>
      )}
    </div>
  );
}
