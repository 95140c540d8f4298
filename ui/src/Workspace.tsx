// The unlocked app: navigation, the header with the lock button, and the current screen.
// The window title never names a patient or crew member: it is always "Harbor".
import { useEffect, useMemo, useState } from "react";
import { AllowedContext } from "./allowed";
import type { SessionInfo } from "./api";
import { label } from "./format";
import { NAV, navForKey, section, type Route } from "./routes";
import { Kbd } from "./ui";
import { Dashboard } from "./screens/Dashboard";
import { RecordList } from "./screens/RecordList";
import { Review } from "./screens/Review";
import { CaseNoteForm } from "./screens/CaseNote";
import { InvestigationForm } from "./screens/Investigation";
import { Import } from "./screens/Import";
import { Promote } from "./screens/Promote";
import { Submissions } from "./screens/Submissions";
import { Audit, RecordHistory } from "./screens/Audit";
import { Users } from "./screens/Users";
import { Disclosures } from "./screens/Disclosures";
import { Policy } from "./screens/Policy";
import { PrivilegeLogScreen } from "./screens/PrivilegeLog";
import { Settings } from "./screens/Settings";
import { Packets } from "./screens/Packets";

export function Workspace(props: { session: SessionInfo; onLock: () => void; onSessionChange: (s: SessionInfo) => void }) {
  const [route, setRoute] = useState<Route>({ name: "dashboard" });
  const go = (r: Route) => setRoute(r);

  useEffect(() => {
    document.title = "Harbor";
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "l") {
        e.preventDefault();
        props.onLock();
        return;
      }
      const nav = navForKey(e);
      if (nav) {
        e.preventDefault();
        setRoute({ name: nav } as Route);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [props]);

  const current = section(route);
  const allowed = useMemo(() => new Set(props.session.allowed ?? []), [props.session.allowed]);
  return (
    <AllowedContext.Provider value={allowed}>
    <div className="workspace">
      <header className="topbar">
        <span className="brand" aria-hidden="true">
          Harbor
        </span>
        <span className="who">
          Signed in as <strong>{props.session.user}</strong> · {label(props.session.role)}
        </span>
        <button type="button" className="lock" onClick={props.onLock} aria-keyshortcuts="Control+L">
          Lock <Kbd>Ctrl+L</Kbd>
        </button>
      </header>
      <nav className="sidebar" aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.name}>
              <button
                type="button"
                aria-current={current === n.name ? "page" : undefined}
                aria-keyshortcuts={`Alt+${n.key}`}
                onClick={() => go({ name: n.name } as Route)}
              >
                <span>{n.label}</span>
                <Kbd>Alt+{n.key}</Kbd>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content" id="content">
        <Screen route={route} go={go} session={props.session} onSessionChange={props.onSessionChange} />
      </main>
    </div>
    </AllowedContext.Provider>
  );
}

function Screen({ route, go, session, onSessionChange }: { route: Route; go: (r: Route) => void; session: SessionInfo; onSessionChange: (s: SessionInfo) => void }) {
  switch (route.name) {
    case "dashboard":
      return <Dashboard go={go} />;
    case "reviews":
      return <RecordList key="reviews" kind="call_review" title="Call reviews" initialStatus={route.status} onOpen={(id, ids) => go({ name: "review", id, siblings: ids })} onSend={(records) => go({ name: "packets", tab: "send", records })} />;
    case "review":
      return <Review key={route.id} id={route.id} siblings={route.siblings ?? []} go={go} />;
    case "notes":
      return <RecordList key="notes" kind="case_note" title="Case notes" onOpen={(id) => go({ name: "note", id })} onNew={() => go({ name: "note" })} newLabel="Write a case note" onSend={(records) => go({ name: "packets", tab: "send", records })} />;
    case "note":
      return <CaseNoteForm key={route.id ?? `new-${route.subject ?? ""}`} id={route.id} subject={route.subject} go={go} />;
    case "investigations":
      return <RecordList key="inv" kind="investigation" title="Investigations" onOpen={(id) => go({ name: "investigation", id })} onNew={() => go({ name: "investigation" })} newLabel="Open an investigation" onSend={(records) => go({ name: "packets", tab: "send", records })} />;
    case "investigation":
      return <InvestigationForm key={route.id ?? "new"} id={route.id} go={go} />;
    case "import":
      return <Import go={go} />;
    case "promote":
      return <Promote key={(route.ids ?? []).join(",")} initialIds={route.ids ?? []} go={go} />;
    case "submissions":
      return <Submissions />;
    case "packets":
      return <Packets key={JSON.stringify([route.tab, route.replyTo, route.to, (route.records ?? []).map((r) => r.id)])} route={route} go={go} />;
    case "audit":
      return <Audit go={go} />;
    case "history":
      return <RecordHistory id={route.id} go={go} />;
    case "users":
      return <Users role={session.role} />;
    case "disclosures":
      return <Disclosures key={route.record ?? ""} record={route.record} />;
    case "privilege":
      return <PrivilegeLogScreen key={route.record ?? ""} record={route.record} />;
    case "policy":
      return <Policy canAdopt={(session.allowed ?? []).includes("policy.adopt")} />;
    case "settings":
      return <Settings session={session} onSessionChange={onSessionChange} />;
  }
}
