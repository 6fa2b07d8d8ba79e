'use client';

import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import { CopyBlock } from './copy-block';

type Created = { name: string; prefix: string; key: string };

/** Creates a key and shows it once: it is not stored, so leaving the page loses it. */
export function CreateApiKeyForm({ action }: { action: (input: { name: string; ratePerMinute?: number }) => Promise<ActionResult<Created>> }) {
  const [name, setName] = useState('');
  const [rate, setRate] = useState('');
  const [result, setResult] = useState<ActionResult<Created> | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="space-y-3 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await action({ name, ...(rate.trim() ? { ratePerMinute: Number(rate) } : {}) });
          setResult(r);
          if (r.ok) setName('');
        });
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <label>
          Name
          <input
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={80}
            className="mt-1 block rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label>
          Requests per minute (default 6,000)
          <input
            name="ratePerMinute"
            type="number"
            min={1}
            value={rate}
            onChange={(e) => setRate(e.target.value)}
            className="mt-1 block w-40 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <button type="submit" disabled={pending} className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
          {pending ? 'Creating…' : 'Create key'}
        </button>
      </div>
      {result && !result.ok && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-red-800">
          {Object.values(result.fieldErrors)[0] ?? result.message} Nothing was created.
        </p>
      )}
      {result?.ok && (
        <div role="status" className="space-y-2 rounded border border-emerald-300 bg-emerald-50 p-3">
          <p className="text-emerald-900">
            Key <strong>{result.data.name}</strong> created. Copy it now: it is shown only this once (the Studio keeps only a hash).
          </p>
          <CopyBlock label="API key" text={result.data.key} testId="new-api-key" />
        </div>
      )}
    </form>
  );
}
