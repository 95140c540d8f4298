// Case packets: the medical director's offline round trip between vaults. The records
// received and where they came from, the conflicts (an edit that arrived on an older
// revision, shown beside this vault's), sending records to a contact, importing a packet
// (file picker, typed path, or dropped on the window), and this vault's identity and its
// contacts. Every action is one service call; the role checks are the service's.
import { useEffect, useState } from "react";
import { api } from "../api";
import type { PacketTab, Route } from "../routes";
import { useFileDrop } from "../fileDrop";
import { type ImportResult } from "./packets/common";
import { ReceivedView } from "./packets/ReceivedTab";
import { ConflictsView } from "./packets/ConflictsTab";
import { SendView } from "./packets/SendTab";
import { ImportView } from "./packets/ImportTab";
import { ContactsView } from "./packets/ContactsTab";

export { openRoute, packetCounts } from "./packets/common";

const TABS: [PacketTab, string][] = [
  ["received", "Received"],
  ["conflicts", "Conflicts"],
  ["send", "Send records"],
  ["import", "Import a packet"],
  ["contacts", "Devices and contacts"],
];

export function Packets({ route, go }: { route: Extract<Route, { name: "packets" }>; go: (r: Route) => void }) {
  const [tab, setTab] = useState<PacketTab>(route.tab ?? (route.records || route.replyTo ? "send" : "received"));
  const [send, setSend] = useState({ records: route.records ?? [], replyTo: route.replyTo ?? null, to: route.to ?? "" });
  const [openConflicts, setOpenConflicts] = useState<number | null>(null);
  const [results, setResults] = useState<ImportResult[]>([]);
  const [importing, setImporting] = useState<string | null>(null);

  const countConflicts = () =>
    api
      .conflicts(false)
      .then((c) => setOpenConflicts(c.length))
      .catch(() => setOpenConflicts(null));
  useEffect(() => {
    void countConflicts();
  }, []);

  const importPaths = async (paths: string[]) => {
    setTab("import");
    const done: ImportResult[] = [];
    for (const path of paths) {
      setImporting(path.split("/").pop() ?? path);
      try {
        done.push({ path, outcome: await api.packetImport(path) });
      } catch (error) {
        done.push({ path, error });
      }
    }
    setImporting(null);
    setResults((r) => [...done, ...r]);
    void countConflicts();
  };

  // A packet dropped anywhere on the window while this screen is open is imported.
  const over = useFileDrop((paths) => void importPaths(paths));

  return (
    <div className={`screen packets${over ? " drop-over" : ""}`}>
      <h1>Case packets</h1>
      <p className="muted">
        Records go to a medical director's laptop and back in a packet file, with no server between: signed by this vault,
        encrypted to the other, readable by nobody else on the way. Only contacts can send and receive.
      </p>
      <div role="tablist" aria-label="Case packets" className="tabs">
        {TABS.map(([t, l]) => (
          <button key={t} type="button" role="tab" id={`tab-${t}`} aria-selected={tab === t} aria-controls={`panel-${t}`} onClick={() => setTab(t)}>
            {l}
            {t === "conflicts" && openConflicts ? <span className="badge" aria-label={`${openConflicts} open`}>{openConflicts}</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "received" && (
          <ReceivedView
            go={go}
            onReply={(packetId, from) => {
              setSend({ records: [], replyTo: packetId, to: from });
              setTab("send");
            }}
          />
        )}
        {tab === "conflicts" && <ConflictsView onResolved={() => void countConflicts()} />}
        {tab === "send" && <SendView key={`${send.replyTo ?? ""}|${send.records.map((r) => r.id).join(",")}`} initial={send} onContacts={() => setTab("contacts")} />}
        {tab === "import" && <ImportView results={results} importing={importing} onImport={importPaths} go={go} onTab={setTab} />}
        {tab === "contacts" && <ContactsView />}
      </div>
    </div>
  );
}

