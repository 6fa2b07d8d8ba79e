'use client';

// Sends the chosen file in chunks (one request each, so neither the browser nor the server
// holds it whole), with a progress bar, then opens the import's page. A JSON file is imported
// right away; a CSV goes to its column-mapping step first.
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { ProgressBar } from '@/components/ui/progress-bar';
import { startImportAction } from '@/app/imports/actions';
import { formatMegabytes } from '@/lib/imports/uploads/limits';

async function problemMessage(res: Response): Promise<string> {
  try {
    const p = (await res.json()) as { detail?: string; title?: string };
    return p.detail ?? p.title ?? `The server answered ${res.status}.`;
  } catch {
    return `The server answered ${res.status}.`;
  }
}

export function UploadForm({ maxBytes, chunkBytes }: { maxBytes: number; chunkBytes: number }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ done: number; total: number } | null>(null);

  async function upload(file: File) {
    setError(null);
    if (!/\.(json|jsonl|ndjson|csv)$/i.test(file.name)) return setError(`${file.name}: choose a .json, .jsonl or .csv file.`);
    if (file.size === 0) return setError(`${file.name} is empty (0 bytes): there is nothing to import.`);
    if (file.size > maxBytes)
      return setError(
        `${file.name} is ${formatMegabytes(file.size)}; the browser import takes files up to ${formatMegabytes(maxBytes)}. Split it, or import it with npm run import.`,
      );
    setSent({ done: 0, total: file.size });
    try {
      const created = await fetch('/api/imports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fileName: file.name, size: file.size }),
      });
      if (!created.ok) throw new Error(await problemMessage(created));
      const { id, format } = (await created.json()) as { id: number; format: string };
      let columns: string[] | null = null;
      for (let seq = 0, offset = 0; offset < file.size; seq++, offset += chunkBytes) {
        const res = await fetch(`/api/imports/${id}/chunks/${seq}`, { method: 'PUT', body: file.slice(offset, offset + chunkBytes) });
        if (!res.ok) throw new Error(await problemMessage(res));
        columns = ((await res.json()) as { csvColumns: string[] | null }).csvColumns;
        setSent({ done: Math.min(file.size, offset + chunkBytes), total: file.size });
      }
      // A CSV without a readable header (another encoding, broken first row) has nothing to
      // map: the import itself says what is wrong.
      if (format !== 'csv' || !columns?.length) {
        const started = await startImportAction({ uploadId: id });
        if (!started.ok) throw new Error(started.message ?? 'The import could not start.');
      }
      router.push(`/imports/${id}`);
    } catch (e) {
      setSent(null);
      setError(`Upload failed: ${(e as Error).message} Nothing was imported.`);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <label htmlFor="import-file" className="block text-sm font-medium">
        File (JSON, JSONL or CSV, up to {formatMegabytes(maxBytes)})
      </label>
      <input
        ref={input}
        id="import-file"
        type="file"
        accept=".json,.jsonl,.ndjson,.csv,application/json,text/csv"
        disabled={sent !== null}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) void upload(f);
        }}
        className="block text-sm file:mr-3 file:cursor-pointer file:rounded file:border-0 file:bg-indigo-600 file:px-3 file:py-1.5 file:font-medium file:text-white hover:file:bg-indigo-700"
      />
      {sent && (
        <div aria-live="polite" className="space-y-1 text-sm">
          <div className="flex justify-between">
            <span>Uploading…</span>
            <span className="tabular-nums text-slate-600">
              {formatMegabytes(sent.done)} / {formatMegabytes(sent.total)}
            </span>
          </div>
          <ProgressBar value={sent.done} max={sent.total} label="Upload progress" />
        </div>
      )}
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
    </section>
  );
}
