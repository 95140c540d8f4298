// A record's attachments: add by drag and drop, by the file picker, or by typing a path;
// preview images and PDFs inside the app (the content comes from the vault into memory,
// never onto the disk); save a copy only where the person picks in the shell's save dialog.
import { useEffect, useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import { api, type Attachment } from "../api";
import { bytes, dateTime } from "../format";
import { useFileDrop } from "../fileDrop";
import { ErrorBox } from "../ui";
import { useMay } from "../allowed";
import { PdfPreview } from "../pdf";

/** Whether the app can show this type itself. */
export function previewable(mediaType: string): "image" | "pdf" | null {
  if (["image/png", "image/jpeg", "image/gif", "image/webp"].includes(mediaType)) return "image";
  if (mediaType === "application/pdf") return "pdf";
  return null;
}

function Preview({ att, onClose }: { att: Attachment; onClose: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [pdf, setPdf] = useState<ArrayBuffer | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let u: string | null = null;
    api
      .attachmentContent(att.id)
      .then((buf) => {
        if (previewable(att.media_type) === "pdf") {
          setPdf(buf);
          return;
        }
        u = URL.createObjectURL(new Blob([buf], { type: att.media_type }));
        setUrl(u);
      })
      .catch(setError);
    return () => {
      if (u) URL.revokeObjectURL(u);
    };
  }, [att]);
  const kind = previewable(att.media_type);
  return (
    <div className="preview" role="dialog" aria-modal="false" aria-label={`Preview of ${att.name}`}>
      <div className="preview-head">
        <strong>{att.name}</strong>
        <button type="button" onClick={onClose}>Close preview</button>
      </div>
      <ErrorBox error={error} />
      {url && kind === "image" && <img src={url} alt={`Attachment ${att.name}`} />}
      {pdf && kind === "pdf" && <PdfPreview data={pdf} name={att.name} />}
    </div>
  );
}

export function Attachments({ recordId }: { recordId: string }) {
  const [list, setList] = useState<Attachment[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [path, setPath] = useState("");
  const [preview, setPreview] = useState<Attachment | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const may = useMay();

  const reload = () => api.attachments(recordId).then(setList).catch(setError);
  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recordId]);

  const add = async (paths: string[]) => {
    setError(null);
    for (const p of paths) {
      setBusy(`Attaching ${p.split("/").pop()}…`);
      try {
        await api.attach(recordId, p);
      } catch (e) {
        setError(e);
        break;
      }
    }
    setBusy(null);
    await reload();
  };

  const saveCopy = async (a: Attachment) => {
    setError(null);
    setSaved(null);
    try {
      const done = await api.saveAttachment(a.id);
      setSaved(done ? `Saved a copy of ${a.name} to ${done.path}.` : `No copy of ${a.name} saved: the save dialog was cancelled.`);
    } catch (e) {
      setError(e);
    }
  };

  const over = useFileDrop((paths) => void add(paths));

  const pick = async () => {
    const chosen = await open({ multiple: true, directory: false, title: "Attach files" });
    if (!chosen) return;
    await add(Array.isArray(chosen) ? chosen : [chosen]);
  };

  return (
    <section aria-labelledby="att-title" className={`attachments${over ? " drop-over" : ""}`}>
      <h2 id="att-title">Attachments</h2>
      <p className="muted">Drop files here, choose them, or type a file's path. They are stored encrypted in the vault.</p>
      <div className="inline">
        <button type="button" onClick={() => void pick()}>Choose files…</button>
      </div>
      <div className="field">
        <label htmlFor={`path-${recordId}`}>Or type a file's path</label>
        <div className="inline">
        <input id={`path-${recordId}`} type="text" placeholder="/path/to/file.pdf" value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="button" disabled={!path.trim()} onClick={() => { const p = path.trim(); setPath(""); void add([p]); }}>
          Attach
        </button>
        </div>
      </div>
      {busy && <p role="status">{busy}</p>}
      {saved && <p role="status">{saved}</p>}
      <ErrorBox error={error} />
      {list.length > 0 && (
        <table className="compact">
          <thead><tr><th scope="col">File</th><th scope="col">Type</th><th scope="col">Size</th><th scope="col">Added</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>{a.media_type}</td>
                <td>{bytes(a.size)}</td>
                <td>{dateTime(a.created_at)} by {a.created_by}</td>
                <td>
                  <span className="inline">
                  {previewable(a.media_type) && <button type="button" onClick={() => setPreview(a)}>Preview</button>}
                  {may("attachment.export") && (
                    <button type="button" aria-label={`Save a copy of ${a.name}`} onClick={() => void saveCopy(a)}>Save a copy…</button>
                  )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview && <Preview att={preview} onClose={() => setPreview(null)} />}
    </section>
  );
}
