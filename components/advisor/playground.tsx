'use client';

// "Try it" on the Models page: pick a model, a stored conversation (by id or external id, at a
// recruiter turn or the next one) or paste one in the import format, and see the decision, its
// confidence and whether the chatbot would act on it at the threshold. Nothing is recorded.
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import type { PlaygroundInput, PlaygroundResult } from '@/lib/advisor/playground';

export type TryDecisionAction = (input: PlaygroundInput) => Promise<ActionResult<PlaygroundResult>>;

const EXAMPLE = JSON.stringify(
  {
    external_id: 'try-1',
    messages: [
      { sender: 'recruiter', text: 'Hi Sam, forklift role at $21/hr, days. Interested?', sent_at: '2026-10-01T15:00:00Z' },
      { sender: 'candidate', text: 'yes! can I come in friday at 10?', sent_at: '2026-10-01T15:12:00Z' },
    ],
  },
  null,
  2,
);

const field = 'mt-1 w-full rounded border border-slate-300 px-2 py-1';

/** The failure as lines: JSON paths stay in front of their message, form field names do not. */
function problemLines(r: Extract<ActionResult<unknown>, { ok: false }>): string[] {
  if (r.code !== 'input') return [r.message];
  return r.message.split('\n').map((line) => (line.startsWith('$') ? line : line.replace(/^[\w.]+: /, '')));
}

export function Playground({
  models,
  initialModel,
  threshold: initialThreshold,
  action,
}: {
  models: { model: string; label: string }[];
  initialModel: string;
  threshold: number;
  action: TryDecisionAction;
}) {
  const [model, setModel] = useState(initialModel);
  const [threshold, setThreshold] = useState(String(initialThreshold));
  const [kind, setKind] = useState<'stored' | 'pasted'>('stored');
  const [conversation, setConversation] = useState('');
  const [turn, setTurn] = useState('');
  const [json, setJson] = useState(EXAMPLE);
  const [result, setResult] = useState<ActionResult<PlaygroundResult> | null>(null);
  const [pending, start] = useTransition();

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <form
        className="space-y-3 text-sm"
        aria-label="Try a model"
        onSubmit={(e) => {
          e.preventDefault();
          const source =
            kind === 'stored'
              ? { kind, conversation, ...(turn.trim() ? { turn: Number(turn) } : {}) }
              : ({ kind, json } as const satisfies PlaygroundInput['source']);
          start(async () => setResult(await action({ model, threshold: Number(threshold), source })));
        }}
      >
        <div className="flex flex-wrap gap-3">
          <label className="min-w-64 flex-1">
            Model
            <select aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)} className={`${field} font-mono text-xs`}>
              {models.map((m) => (
                <option key={m.model} value={m.model}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <label className="w-44">
            Acts when confidence ≥
            <input type="number" min={0} max={1} step={0.05} value={threshold} onChange={(e) => setThreshold(e.target.value)} className={field} />
          </label>
        </div>
        <fieldset className="space-y-2">
          <legend className="font-medium">Conversation</legend>
          <div className="flex gap-4">
            <label className="flex items-center gap-1">
              <input type="radio" name="kind" checked={kind === 'stored'} onChange={() => setKind('stored')} /> A stored conversation
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="kind" checked={kind === 'pasted'} onChange={() => setKind('pasted')} /> Paste JSON (import format)
            </label>
          </div>
          {kind === 'stored' ? (
            <div className="flex flex-wrap gap-3">
              <label className="min-w-64 flex-1">
                Conversation id or external id
                <input
                  value={conversation}
                  onChange={(e) => setConversation(e.target.value)}
                  required
                  maxLength={200}
                  className={`${field} font-mono text-xs`}
                />
              </label>
              <label className="w-56">
                Decide message no. (blank: the next turn)
                <input type="number" min={2} value={turn} onChange={(e) => setTurn(e.target.value)} className={field} />
              </label>
            </div>
          ) : (
            <label className="block">
              Conversation JSON
              <textarea value={json} onChange={(e) => setJson(e.target.value)} rows={12} spellCheck={false} className={`${field} font-mono text-xs`} />
            </label>
          )}
        </fieldset>
        <p className="text-xs text-slate-500">
          Rendered and asked exactly as the decision API does (the model&apos;s own training prompt and transcript), but not logged, not added to the
          conversations and not sent to a shadow model.
        </p>
        <button type="submit" disabled={pending} className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
          {pending ? 'Asking…' : 'Decide'}
        </button>
      </form>

      <div aria-live="polite">
        {result && !result.ok && (
          <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800" data-testid="playground-error">
            <ul className="space-y-1">
              {problemLines(result).map((l) => (
                <li key={l} className="font-mono text-xs">
                  {l}
                </li>
              ))}
            </ul>
          </div>
        )}
        {result?.ok && <Answer r={result.data} />}
        {!result && <p className="rounded border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">The decision shows here.</p>}
      </div>
    </div>
  );
}

function Answer({ r }: { r: PlaygroundResult }) {
  const labels = r.humanLabels ? Object.entries(r.humanLabels) : [];
  return (
    <div className="space-y-3 rounded border border-slate-200 p-3 text-sm" data-testid="playground-result">
      <div className="flex flex-wrap items-baseline gap-4">
        <div>
          <div className="text-xs text-slate-500">Decision</div>
          <div className="text-2xl font-semibold" data-testid="playground-decision">
            {r.decision ?? 'none'}
          </div>
        </div>
        <div>
          <div className="text-xs text-slate-500">Confidence</div>
          <div className="text-2xl tabular-nums">{r.confidence === null ? '—' : r.confidence.toFixed(2)}</div>
        </div>
        <div>
          <div className="text-xs text-slate-500">At ≥ {r.threshold}</div>
          <div
            className={`mt-1 rounded px-2 py-0.5 text-sm font-medium ${r.acted ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-100 text-slate-700'}`}
            data-testid="playground-acted"
          >
            {r.acted ? 'would act' : r.decision ? 'would defer (below threshold)' : `would defer (${r.reason})`}
          </div>
        </div>
      </div>
      <p className="text-xs text-slate-600">
        <span className="font-mono">{r.model}</span> decided message {r.conversation.decidedMessage} of{' '}
        <span className="font-mono">{r.conversation.externalId}</span> after {r.conversation.messagesBefore} message
        {r.conversation.messagesBefore === 1 ? '' : 's'}
        {r.modelLatencyMs !== null ? `, in ${r.modelLatencyMs} ms` : ''}.
        {r.conversation.storedId && (
          <>
            {' '}
            <a href={`/conversations/${r.conversation.storedId}`} className="text-indigo-700 hover:underline">
              Open the conversation
            </a>
          </>
        )}
      </p>
      {r.humanLabels && (
        <p className="text-xs" data-testid="playground-human">
          Reviewers on this turn: {labels.length ? labels.map(([v, n]) => `${v} × ${n}`).join(', ') : 'no labels yet'}
        </p>
      )}
      <details>
        <summary className="cursor-pointer text-xs font-medium">What the model was shown</summary>
        <div className="mt-2 space-y-2">
          {r.prompt.map((m) => (
            <div key={m.role}>
              <div className="text-xs text-slate-500">{m.role}</div>
              <pre className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 font-mono text-xs">{m.content}</pre>
            </div>
          ))}
        </div>
      </details>
    </div>
  );
}
