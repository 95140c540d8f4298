// PDF preview: WebKitGTK does not show PDFs in a frame, so the pages are drawn with
// pdf.js onto a canvas (loaded only when a PDF is opened). No eval, no font loading from
// data: glyphs are drawn as paths, which the strict CSP allows.
import { useEffect, useRef, useState } from "react";
import type { PDFDocumentProxy } from "pdfjs-dist";

async function loadPdfJs() {
  const pdfjs = await import("pdfjs-dist");
  const worker = await import("pdfjs-dist/build/pdf.worker.min.mjs?worker&url");
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  return pdfjs;
}

export function PdfPreview({ data, name }: { data: ArrayBuffer; name: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let opened: PDFDocumentProxy | null = null;
    loadPdfJs()
      .then((pdfjs) =>
        pdfjs.getDocument({ data: new Uint8Array(data.slice(0)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false }).promise,
      )
      .then((d) => {
        opened = d;
        if (live) setDoc(d);
        else void d.destroy();
      })
      .catch(() => live && setError("This PDF cannot be shown here. Export it to open it in a PDF reader."));
    return () => {
      live = false;
      void opened?.destroy();
    };
  }, [data]);

  useEffect(() => {
    if (!doc || !canvas.current) return;
    let task: { cancel: () => void } | null = null;
    let live = true;
    doc.getPage(page).then((p) => {
      if (!live || !canvas.current) return;
      const viewport = p.getViewport({ scale: 1.3 });
      const c = canvas.current;
      c.width = Math.floor(viewport.width);
      c.height = Math.floor(viewport.height);
      const r = p.render({ canvas: c, canvasContext: c.getContext("2d")!, viewport });
      task = r;
      r.promise.then(() => live && c.setAttribute("data-rendered", String(page))).catch(() => {});
    });
    return () => {
      live = false;
      task?.cancel();
    };
  }, [doc, page]);

  if (error) return <p role="alert">{error}</p>;
  return (
    <div className="pdf">
      {doc && doc.numPages > 1 && (
        <div className="inline">
          <button type="button" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>Previous page</button>
          <span>
            Page {page} of {doc.numPages}
          </span>
          <button type="button" disabled={page >= doc.numPages} onClick={() => setPage((p) => p + 1)}>Next page</button>
        </div>
      )}
      <canvas ref={canvas} role="img" aria-label={`Page ${page} of ${name}`} />
    </div>
  );
}
