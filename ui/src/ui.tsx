// Small shared pieces: the error box, a labelled field, a page header.
import { useEffect, useId, useState, type ReactNode } from "react";
import { type HarborFailure, toFailure } from "./api";
import { describeError, showDetail } from "./errors";

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const f: HarborFailure = toFailure(error);
  return (
    <div className="error" role="alert" data-code={f.code}>
      <p>{describeError(f)}</p>
      {showDetail(f.code) && f.message && f.fields.length === 0 && <p className="detail">{f.message}</p>}
      {f.fields.length > 0 && (
        <ul>
          {f.fields.map((x) => (
            <li key={x.field + x.message}>
              <code>{x.field || "(the whole form)"}</code>: {x.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Field(props: {
  label: string;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, hintId)}
      {props.hint && (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
  hint?: string;
  autoFocus?: boolean;
  autoComplete?: string;
  required?: boolean;
  name?: string;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id, hint) => (
        <input
          id={id}
          name={props.name}
          type={props.type ?? "text"}
          value={props.value}
          aria-describedby={hint}
          autoFocus={props.autoFocus}
          autoComplete={props.autoComplete ?? "off"}
          spellCheck={false}
          required={props.required}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function TextArea(props: { label: string; value: string; onChange: (v: string) => void; rows?: number; hint?: string }) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id, hint) => (
        <textarea id={id} rows={props.rows ?? 4} value={props.value} aria-describedby={hint} onChange={(e) => props.onChange(e.target.value)} />
      )}
    </Field>
  );
}

export function Select(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
  hint?: string;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id, hint) => (
        <select id={id} value={props.value} aria-describedby={hint} onChange={(e) => props.onChange(e.target.value)}>
          {props.options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd>{children}</kbd>;
}

/** Runs an async loader; reloads when `deps` change. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load()
      .then((d) => {
        if (live) {
          setData(d);
          setError(null);
        }
      })
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data, error, loading, reload: () => setTick((t) => t + 1) };
}
