// A list of records of one kind: full-text search, filters, and keyset paging (the service
// returns a cursor for the next page), so the first page of 100,000 records is as quick as
// the first page of 100.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, type Page, type RecordKind, type RecordMeta } from "../api";
import { dateTime, label } from "../format";
import { ErrorBox, Kbd, Select } from "../ui";

const STATUS_OPTIONS: Partial<Record<RecordKind, string[]>> = {
  call_review: ["not_started", "in_progress", "waiting_for_crew", "pending_medical_director", "closed"],
  investigation: ["open", "analysis", "action_plan", "closed"],
};
const PSES = ["in_pses", "queued", "amendment_queued", "reported", "dropped_out"];
export const PAGE_SIZE = 50;

/** The state of keyset paging: the cursors of the pages before this one. */
export function pager() {
  const stack: (string | null)[] = [null];
  return {
    get current() {
      return stack[stack.length - 1] ?? null;
    },
    get pageNumber() {
      return stack.length;
    },
    next(cursor: string) {
      stack.push(cursor);
    },
    previous() {
      if (stack.length > 1) stack.pop();
    },
    reset() {
      stack.length = 1;
    },
  };
}

export function RecordList(props: {
  kind: RecordKind;
  title: string;
  initialStatus?: string;
  onOpen: (id: string, ids: string[]) => void;
  onNew?: () => void;
  newLabel?: string;
  /** With it, records can be selected and sent to a contact in a case packet. */
  onSend?: (records: RecordMeta[]) => void;
}) {
  const [status, setStatus] = useState(props.initialStatus ?? "");
  const [pses, setPses] = useState("");
  const [text, setText] = useState("");
  const [searching, setSearching] = useState<string | null>(null);
  const [page, setPage] = useState<Page | null>(null);
  // The search the shown page answers (the previous page stays on screen while the next
  // one loads; it is never labelled as the answer to a newer search).
  const [loadedQuery, setLoadedQuery] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const paging = useRef(pager());
  // Selected records, kept across pages and searches.
  const [selected, setSelected] = useState<Map<string, RecordMeta>>(new Map());
  const toggle = (r: RecordMeta, on: boolean) =>
    setSelected((m) => {
      const next = new Map(m);
      if (on) next.set(r.id, r);
      else next.delete(r.id);
      return next;
    });
  const searchBox = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const started = performance.now();
    const load: Promise<Page> = searching
      ? api.search(searching, 200).then((items) => ({
          items: items.filter((r) => r.kind === props.kind || (props.kind === "call_review" && r.kind === "epcr")),
          next_cursor: null,
        }))
      : api.list({
          kind: props.kind,
          status: status || null,
          pses_state: pses || null,
          limit: PAGE_SIZE,
          after: paging.current.current,
        });
    load
      .then((p) => {
        if (!live) return;
        setPage(p);
        setLoadedQuery(searching);
        setError(null);
        requestAnimationFrame(() => {
          (window as unknown as { __harborListPaint?: number }).__harborListPaint = performance.now() - started;
        });
      })
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [props.kind, status, pses, searching, tick]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey && e.key.toLowerCase() === "f") || (e.key === "/" && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement))) {
        e.preventDefault();
        searchBox.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    paging.current.reset();
    setSearching(text.trim() || null);
  };

  const items = page?.items ?? [];
  const ids = items.filter((r) => r.kind === props.kind).map((r) => r.id);
  const open = (r: RecordMeta) => {
    if (r.kind === props.kind) props.onOpen(r.id, ids);
  };

  return (
    <div className="screen">
      <div className="screen-head">
        <h1>{props.title}</h1>
        {props.onNew && (
          <button type="button" className="primary" onClick={props.onNew}>
            {props.newLabel}
          </button>
        )}
      </div>
      <form className="filters" onSubmit={submitSearch} role="search">
        <div className="field grow">
          <label htmlFor="search">
            Search every field <Kbd>Ctrl+F</Kbd>
          </label>
          <div className="inline">
            <input id="search" ref={searchBox} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="PCR number, unit, words of a narrative…" />
            <button type="submit">Search</button>
            {searching && (
              <button type="button" onClick={() => { setText(""); setSearching(null); }}>
                Clear
              </button>
            )}
          </div>
        </div>
        {STATUS_OPTIONS[props.kind] && (
          <Select
            label="Status"
            value={status}
            onChange={(v) => { paging.current.reset(); setStatus(v); }}
            options={[["", "Any status"], ...STATUS_OPTIONS[props.kind]!.map((s): [string, string] => [s, label(s)])]}
          />
        )}
        <Select
          label="PSES state"
          value={pses}
          onChange={(v) => { paging.current.reset(); setPses(v); }}
          options={[["", "Any state"], ...PSES.map((s): [string, string] => [s, label(s)])]}
        />
      </form>
      <ErrorBox error={error} />
      {searching && loadedQuery === searching && (
        <p role="status">{items.length} found for “{searching}” (status and state filters do not apply to a search).</p>
      )}
      {props.onSend && (
        <div className="toolbar selection">
          <span aria-live="polite">{selected.size} selected</span>
          <button type="button" disabled={selected.size === 0} onClick={() => props.onSend?.([...selected.values()])}>
            Send {selected.size} selected to a contact…
          </button>
          {selected.size > 0 && <button type="button" onClick={() => setSelected(new Map())}>Clear the selection</button>}
        </div>
      )}
      <table className="records" aria-busy={loading}>
        <thead>
          <tr>
            {props.onSend && <th scope="col"><span className="sr-only">Select</span></th>}
            <th scope="col">Record</th>
            <th scope="col">Status</th>
            <th scope="col">PSES state</th>
            <th scope="col">Entered the PSES</th>
            <th scope="col">Last change</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              {props.onSend && (
                <td className="select">
                  {r.kind === props.kind && (
                    <label className="check">
                      {/* Named by aria-label, not by text: the page's text names each record once. */}
                      <input type="checkbox" aria-label={`Select ${r.title}`} checked={selected.has(r.id)} onChange={(e) => toggle(r, e.target.checked)} />
                    </label>
                  )}
                </td>
              )}
              <td>
                {r.kind === props.kind ? (
                  <button type="button" className="row-link" onClick={() => open(r)}>
                    {r.title}
                  </button>
                ) : (
                  <span>
                    {r.title} <span className="muted">({label(r.kind)})</span>
                  </span>
                )}
              </td>
              <td>{label(r.status)}</td>
              <td>{label(r.pses_state)}</td>
              <td>{dateTime(r.created_at)}</td>
              <td>{dateTime(r.updated_at)}</td>
            </tr>
          ))}
          {!loading && items.length === 0 && (
            <tr>
              <td colSpan={props.onSend ? 6 : 5} className="muted">
                Nothing here{searching || status || pses ? " with these filters" : " yet"}.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {!searching && (
        <div className="pager">
          <button type="button" disabled={paging.current.pageNumber <= 1} onClick={() => { paging.current.previous(); setTick((t) => t + 1); }}>
            Previous page
          </button>
          <span aria-live="polite">Page {paging.current.pageNumber}</span>
          <button
            type="button"
            disabled={!page?.next_cursor}
            onClick={() => {
              if (page?.next_cursor) paging.current.next(page.next_cursor);
              setTick((t) => t + 1);
            }}
          >
            Next page
          </button>
        </div>
      )}
    </div>
  );
}
