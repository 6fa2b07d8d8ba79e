import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { currentPromotion, listPromotions, toServing } from '@/lib/advisor/promotions';
import {
  BAND_NAMES,
  confidenceDistribution,
  decisionFilterSchema,
  decisionModels,
  decisionsOverTime,
  listDecisions,
  type DecisionFilter,
} from '@/lib/advisor/queries';
import { decisionTranscript } from '@/lib/advisor/render';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { formatDateTime } from '@/components/ui/format-time';
import { CopyBlock } from '@/components/advisor/copy-block';
import { ConfidenceChart, DecisionsOverTimeChart } from '@/components/advisor/decision-charts';
import { HumanVsAdvisorSection } from '@/components/advisor/human-vs-advisor';
import { RetrainPanel } from '@/components/advisor/retrain-panel';
import { ShadowComparison } from '@/components/advisor/shadow-comparison';
import { modelLabel } from '@/lib/evals/baselines';
import { rollbackAction } from './actions';

export const metadata: Metadata = { title: 'Advisor' };

const SAMPLE = {
  messages: [
    {
      sender: 'recruiter' as const,
      text: 'Hi Sam, this is Jo from Acme Staffing: a forklift role at $21/hr, days. Interested?',
      sent_at: '2026-10-01T15:00:00Z',
    },
    { sender: 'candidate' as const, text: 'yes! what are the hours?', sent_at: '2026-10-01T15:12:00Z' },
  ],
};

function href(f: DecisionFilter, change: Partial<DecisionFilter>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...change })) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `/advisor?${s}` : '/advisor';
}

const conf = (c: number | null) => (c === null ? '—' : c.toFixed(2));

export default async function AdvisorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await actorOrSignIn('/advisor');
  const raw = await searchParams;
  const filter = decisionFilterSchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const { before: _before, ...unpaged } = filter;
  const historyBefore = typeof raw.history === 'string' && /^\d+$/.test(raw.history) ? Number(raw.history) : undefined;
  const [current, history, days, confidence, page, models] = await Promise.all([
    currentPromotion(),
    listPromotions(actor, { before: historyBefore }),
    decisionsOverTime(actor, unpaged),
    confidenceDistribution(actor, unpaged),
    listDecisions(actor, filter),
    decisionModels(actor),
  ]);
  const canPromote = actor.role === 'ml_lead' || actor.role === 'admin';
  const serving = current ? toServing(current) : null;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Advisor</h1>
        <p className="text-sm text-slate-600">The model the chatbot asks at every recruiter turn, and every decision it made.</p>
      </div>

      <section aria-labelledby="current-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="current-heading" className="mb-2 text-lg font-semibold">
          Current advisor
        </h2>
        {!current || !serving ? (
          <p data-testid="no-advisor" className="text-sm text-slate-600">
            No advisor is promoted yet: the decision API answers 409 until an ML lead promotes a model on the{' '}
            <Link href="/models" className="text-indigo-700 hover:underline">
              Models page
            </Link>
            .
          </p>
        ) : (
          <div className="space-y-4">
            <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-4" data-testid="current-advisor">
              <div>
                <dt className="text-xs text-slate-500">Model</dt>
                <dd className="font-mono text-xs" data-testid="advisor-model">
                  {modelLabel(current.model)}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Acts when confidence ≥</dt>
                <dd className="font-semibold" data-testid="advisor-threshold">
                  {current.threshold}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Provider · timeout</dt>
                <dd>
                  {current.provider} · {current.timeoutMs} ms
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Promotion</dt>
                <dd>
                  #{current.id} by {current.promotedBy.email}, {formatDateTime(current.createdAt)}
                  {current.datasetVersionId && (
                    <div className="text-xs">
                      trained on{' '}
                      <Link href={`/datasets/${current.datasetVersionId}`} className="text-indigo-700 hover:underline">
                        dataset version #{current.datasetVersionId}
                      </Link>
                    </div>
                  )}
                </dd>
              </div>
            </dl>
            {current.note && <p className="text-sm text-slate-700">Note: {current.note}</p>}
            <details className="rounded border border-slate-200 p-3">
              <summary className="cursor-pointer text-sm font-medium">For chatbots that call the provider directly</summary>
              <div className="mt-3 space-y-3 text-sm">
                <p className="text-slate-600">
                  The decision API renders all of this for you. A chatbot that asks the model itself must send exactly what training saw: this model, this
                  system prompt, and the transcript below as the user message (
                  {serving.context === 'all' ? 'every message so far' : `the last ${serving.context} messages`}, one line each with the time since the previous
                  message, then the turn line with the time since the last message). Ask with temperature 0 and logprobs; act only when the answer&apos;s
                  probability is ≥ {current.threshold}.
                </p>
                <CopyBlock label="Environment" text={`EXIT_ADVISOR_MODEL=${current.model}`} testId="advisor-env" />
                <CopyBlock label="System prompt" text={serving.instructions} testId="advisor-system-prompt" />
                <CopyBlock label="Transcript format (example)" text={decisionTranscript(SAMPLE, serving.context, new Date('2026-10-01T17:12:00Z'))} />
              </div>
            </details>
            <RetrainPanel actor={actor} />
          </div>
        )}
      </section>

      <form
        method="get"
        action="/advisor"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm"
        aria-label="Filter decisions"
      >
        <label>
          Decision
          <select name="decision" defaultValue={filter.decision ?? ''} className="ml-1 rounded border border-slate-300 px-1 py-0.5">
            <option value="">any</option>
            <option>END</option>
            <option>CONTINUE</option>
            <option>SCHEDULE</option>
            <option value="none">no decision (fell back)</option>
          </select>
        </label>
        <label>
          Acted
          <select name="acted" defaultValue={filter.acted ?? ''} className="ml-1 rounded border border-slate-300 px-1 py-0.5">
            <option value="">any</option>
            <option value="yes">acted</option>
            <option value="no">deferred</option>
          </select>
        </label>
        <label>
          Confidence
          <select name="band" defaultValue={filter.band ?? ''} className="ml-1 rounded border border-slate-300 px-1 py-0.5">
            <option value="">any</option>
            {Object.entries(BAND_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model
          <select name="model" defaultValue={filter.model ?? ''} className="ml-1 rounded border border-slate-300 px-1 py-0.5">
            <option value="">any</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" name="from" defaultValue={filter.from ?? ''} className="ml-1 rounded border border-slate-300 px-1 py-0.5" />
        </label>
        <label>
          To
          <input type="date" name="to" defaultValue={filter.to ?? ''} className="ml-1 rounded border border-slate-300 px-1 py-0.5" />
        </label>
        <button type="submit" className="rounded bg-slate-800 px-3 py-1 text-white hover:bg-slate-900">
          Filter
        </button>
        <Link href="/advisor" className="text-indigo-700 hover:underline">
          Clear
        </Link>
      </form>

      <div className="grid gap-4 2xl:grid-cols-2">
        <section aria-labelledby="time-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="time-heading" className="mb-2 text-lg font-semibold">
            Decisions over time
          </h2>
          {days.length === 0 ? <p className="text-sm text-slate-600">No decisions yet.</p> : <DecisionsOverTimeChart days={days} />}
          <DataTable columns={['Day (UTC)', 'END', 'CONTINUE', 'SCHEDULE', 'No decision', 'Acted', 'Deferred']} caption="Decisions per day">
            {days.map((d) => (
              <tr key={d.day} className="border-t border-slate-100 tabular-nums">
                <td className="px-3 py-1">{d.day}</td>
                <td className="px-3 py-1">{d.END}</td>
                <td className="px-3 py-1">{d.CONTINUE}</td>
                <td className="px-3 py-1">{d.SCHEDULE}</td>
                <td className="px-3 py-1">{d.none}</td>
                <td className="px-3 py-1">{d.acted}</td>
                <td className="px-3 py-1">{d.deferred}</td>
              </tr>
            ))}
          </DataTable>
        </section>
        <section aria-labelledby="conf-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="conf-heading" className="mb-2 text-lg font-semibold">
            Confidence
          </h2>
          {days.length === 0 ? <p className="text-sm text-slate-600">No decisions yet.</p> : <ConfidenceChart bins={confidence.bins} />}
          <DataTable columns={['Confidence', 'Acted', 'Deferred']} caption="Confidence distribution">
            {confidence.bins.map((b) => (
              <tr key={b.from} className="border-t border-slate-100 tabular-nums">
                <td className="px-3 py-1">
                  {b.from.toFixed(1)} – {b.to.toFixed(1)}
                </td>
                <td className="px-3 py-1">{b.acted}</td>
                <td className="px-3 py-1">{b.deferred}</td>
              </tr>
            ))}
            <tr className="border-t border-slate-100 tabular-nums text-slate-500">
              <td className="px-3 py-1">no confidence (fell back)</td>
              <td className="px-3 py-1">0</td>
              <td className="px-3 py-1">{confidence.withoutConfidence}</td>
            </tr>
          </DataTable>
        </section>
      </div>

      <HumanVsAdvisorSection actor={actor} params={raw} />

      <section aria-labelledby="decisions-heading" className="space-y-2">
        <h2 id="decisions-heading" className="text-lg font-semibold">
          Decisions
        </h2>
        <DataTable columns={['When', 'Conversation', 'Turn', 'Decision', 'Confidence', 'Acted', 'Model', 'Latency', 'Key']} caption="Decisions">
          {page.rows.length === 0 && (
            <tr>
              <td colSpan={9} className="px-3 py-4 text-center text-slate-500">
                No decisions match.
              </td>
            </tr>
          )}
          {page.rows.map((d) => {
            const open = d.conversationId ? `/conversations/${d.conversationId}?decision=${d.id}${d.turnMessageId ? `&turn=${d.turnMessageId}` : ''}` : null;
            return (
              <tr key={d.id} className="border-t border-slate-100" data-testid="decision-row">
                <td className="px-3 py-2 text-xs">{formatDateTime(d.createdAt)}</td>
                <td className="px-3 py-2 font-mono text-xs">
                  {open ? (
                    <Link href={open} className="text-indigo-700 hover:underline">
                      {d.externalId}
                    </Link>
                  ) : (
                    <span title="Being merged into the Studio">{d.externalId}</span>
                  )}
                </td>
                <td className="px-3 py-2 text-xs">{d.turnMessageId ? `message ${d.position + 1}` : `next after message ${d.position}`}</td>
                <td className="px-3 py-2 font-medium">{d.decision ?? <span className="text-slate-500">none ({d.fallbackReason})</span>}</td>
                <td className="px-3 py-2 tabular-nums">{conf(d.confidence)}</td>
                <td className="px-3 py-2">{d.acted ? 'acted' : 'deferred'}</td>
                <td className="px-3 py-2 font-mono text-xs">{d.model}</td>
                <td className="px-3 py-2 tabular-nums text-xs">{d.latencyMs} ms</td>
                <td className="px-3 py-2 text-xs">{d.keyName ?? '—'}</td>
              </tr>
            );
          })}
        </DataTable>
        <PaginationNav
          prevHref={filter.before ? href(filter, { before: undefined }) : null}
          prevLabel="← Newest"
          nextHref={page.nextBefore ? href(filter, { before: page.nextBefore }) : null}
        />
      </section>

      <ShadowComparison actor={actor} searchParams={raw} />

      <section aria-labelledby="history-heading" className="space-y-2">
        <h2 id="history-heading" className="text-lg font-semibold">
          Promotion history
        </h2>
        <DataTable columns={['Promotion', 'Model', 'Threshold', 'By', 'When', 'Note', '']} caption="Promotion history">
          {history.rows.map((p) => (
            <tr key={p.id} className="border-t border-slate-100" data-testid="promotion-row">
              <td className="px-3 py-2">
                #{p.id}
                {p.id === current?.id && <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800">current</span>}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{p.model}</td>
              <td className="px-3 py-2">{p.threshold}</td>
              <td className="px-3 py-2 text-xs">{p.promotedBy.email}</td>
              <td className="px-3 py-2 text-xs">{formatDateTime(p.createdAt)}</td>
              <td className="px-3 py-2 text-xs">
                {p.note ?? ''}
                {p.copiedFromId ? ` (copy of #${p.copiedFromId})` : ''}
              </td>
              <td className="px-3 py-2">
                {canPromote && p.id !== current?.id && (
                  <ConfirmAction
                    action={rollbackAction}
                    trigger="Roll back to this"
                    title={`Make promotion #${p.id} (${p.model}) the advisor again?`}
                    confirm="Roll back"
                    hidden={{ promotionId: String(p.id) }}
                  >
                    <p>
                      The chatbot gets {p.model}&apos;s decisions, acting at ≥ {p.threshold}, from the next request on. This is recorded as a new promotion; the
                      history stays.
                    </p>
                    <label className="block">
                      Note
                      <input name="note" maxLength={500} className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
                    </label>
                  </ConfirmAction>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
        {history.nextBefore && <PaginationNav nextHref={`${href(filter, {})}${href(filter, {}).includes('?') ? '&' : '?'}history=${history.nextBefore}`} />}
      </section>
    </div>
  );
}
