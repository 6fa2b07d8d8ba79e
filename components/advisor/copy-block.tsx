'use client';

import { useState } from 'react';

/** A block of text shown as it is (never as HTML), with a button that copies it. */
export function CopyBlock({ label, text, testId }: { label: string; text: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <div className="mb-1 flex items-center justify-between">
        <span className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</span>
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(text).catch(() => {});
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
          className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100"
        >
          {copied ? 'Copied' : `Copy ${label.toLowerCase()}`}
        </button>
      </div>
      <pre data-testid={testId} className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">
        {text}
      </pre>
    </div>
  );
}
