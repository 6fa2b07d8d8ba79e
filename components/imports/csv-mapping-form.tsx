'use client';

// The column-mapping step of a CSV import: each field offered the header's columns, with the
// columns matched by name already chosen. The mapping is checked again on the server.
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { startImportAction } from '@/app/imports/actions';
import { CSV_FIELD_HELP, CSV_FIELDS, REQUIRED_CSV_FIELDS, type CsvField, type CsvMapping } from '@/lib/imports/csv-mapping';

const FIELD_NAMES: Record<CsvField, string> = {
  conversation_id: 'Conversation id',
  sender: 'Sender',
  text: 'Text',
  sent_at: 'Sent at',
  candidate_name: 'Candidate name',
  job_title: 'Job title',
  label: 'Label',
};

export function CsvMappingForm({ uploadId, columns, initial, retry }: { uploadId: number; columns: string[]; initial: CsvMapping; retry: boolean }) {
  const router = useRouter();
  const [mapping, setMapping] = useState<CsvMapping>(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const missing = REQUIRED_CSV_FIELDS.filter((f) => !mapping[f]);
  const chosen = Object.values(mapping).filter(Boolean);
  const twice = chosen.filter((c, i) => chosen.indexOf(c) !== i);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    start(async () => {
      // A field set to "not in this file" is sent as not mapped.
      const sent = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v)) as CsvMapping;
      const r = await startImportAction({ uploadId, mapping: sent });
      if (!r.ok) setError(r.message ?? 'The import could not start.');
      else router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="mapping-title">
      <div>
        <h2 id="mapping-title" className="text-lg font-semibold">
          {retry ? 'Change the column mapping' : 'Match the columns'}
        </h2>
        <p className="text-sm text-slate-600">
          Which column of the file holds each field. Columns named like a field are chosen already; other columns are ignored. {columns.length} column
          {columns.length === 1 ? '' : 's'} in the header.
        </p>
      </div>
      <table className="w-full text-sm">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-1">
              Field
            </th>
            <th scope="col" className="py-1">
              Column in the file
            </th>
            <th scope="col" className="py-1">
              What it holds
            </th>
          </tr>
        </thead>
        <tbody>
          {CSV_FIELDS.map((f) => {
            const required = REQUIRED_CSV_FIELDS.includes(f);
            return (
              <tr key={f} className="border-t border-slate-100">
                <td className="py-2 pr-3 font-medium">
                  <label htmlFor={`map-${f}`}>
                    {FIELD_NAMES[f]}
                    {required && <span className="text-red-700"> *</span>}
                  </label>
                </td>
                <td className="py-2 pr-3">
                  <select
                    id={`map-${f}`}
                    value={mapping[f] ?? ''}
                    onChange={(e) => setMapping((m) => ({ ...m, [f]: e.target.value || undefined }))}
                    aria-invalid={(required && !mapping[f]) || (mapping[f] !== undefined && twice.includes(mapping[f]!)) || undefined}
                    className="w-full rounded border border-slate-300 px-2 py-1"
                  >
                    <option value="">{required ? '— choose a column —' : '— not in this file —'}</option>
                    {columns.map((c, i) => (
                      <option key={`${i}-${c}`} value={c}>
                        {c || `(column ${i + 1}, no name)`}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="py-2 text-slate-600">{CSV_FIELD_HELP[f]}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {missing.length > 0 && <p className="text-sm text-red-700">Choose a column for {missing.map((f) => FIELD_NAMES[f].toLowerCase()).join(', ')}.</p>}
      {twice.length > 0 && <p className="text-sm text-red-700">Column &quot;{twice[0]}&quot; is chosen for two fields; each column holds one field.</p>}
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending || missing.length > 0 || twice.length > 0}
        className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
      >
        {pending ? 'Starting…' : retry ? 'Check and import again' : 'Check and import'}
      </button>
    </form>
  );
}
