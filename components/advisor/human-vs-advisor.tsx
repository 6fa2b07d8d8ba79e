// The Advisor page's "Human vs advisor" section: on live turns reviewers have labeled, the
// confusion of human label × advisor decision (a heat-shaded table, every cell opening the turns
// it counts), agreement, Cohen's κ and the two costly-error rates — over every decision the
// model gave, and over what the chatbot actually did. A server component: it reads its own data.
import Link from 'next/link';
import type { Actor } from '@/lib/auth/session';
import {
  ADVISOR_COLUMNS,
  cellSchema,
  humanVsAdvisor,
  humanVsAdvisorCell,
  humanVsAdvisorFilterSchema,
  type AdvisorColumn,
  type HumanVsAdvisorCell,
  type HumanVsAdvisorView,
  type HumanVsAdvisorViewName,
} from '@/lib/advisor/human-vs-advisor';
import { LABELS, type Label } from '@/lib/evals/metrics/labels';
import type { RateCount } from '@/lib/evals/metrics/classification';
import { PaginationNav } from '@/components/ui/pagination-nav';

type Params = Record<string, string | string[] | undefined>;

const ANCHOR = 'human-vs-advisor';
const COLUMN_NAMES: Record<AdvisorColumn, string> = { END: 'END', CONTINUE: 'CONTINUE', SCHEDULE: 'SCHEDULE', deferred: 'deferred', fallback: 'no decision' };
const VIEW_COLUMNS: Record<HumanVsAdvisorViewName, readonly AdvisorColumn[]> = {
  all: ADVISOR_COLUMNS.filter((c) => c !== 'deferred'),
  acted: ADVISOR_COLUMNS,
};

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The page's URL with this section's cell (and page) changed; every other parameter kept. */
function cellHref(params: Params, cell: string | undefined, before?: number): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    const s = first(v);
    if (s !== undefined && k !== 'hva' && k !== 'hvaBefore') q.set(k, s);
  }
  if (cell) q.set('hva', cell);
  if (before) q.set('hvaBefore', String(before));
  const s = q.toString();
  return `/advisor${s ? `?${s}` : ''}#${ANCHOR}`;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const rate = (r: RateCount, value: number | null) => (
  <>
    {pct(value)}{' '}
    <span className="text-xs font-normal text-slate-500">
      ({r.count} of {r.of})
    </span>
  </>
);

// The costliest error (a premature END) in red, agreement in green, other confusions in amber,
// no label in grey; the shade is the cell's share of its row, so a row of three turns reads as
// clearly as one of three hundred. Class names written out whole, for Tailwind to find.
const SHADES = {
  agree: ['bg-emerald-100', 'bg-emerald-200', 'bg-emerald-300'],
  end: ['bg-rose-100', 'bg-rose-200', 'bg-rose-300'],
  other: ['bg-amber-100', 'bg-amber-200', 'bg-amber-300'],
  none: ['bg-slate-100', 'bg-slate-200', 'bg-slate-300'],
} as const;
function cellClass(human: Label, column: AdvisorColumn, share: number): string {
  if (share === 0) return 'text-slate-400';
  const level = share >= 0.6 ? 2 : share >= 0.3 ? 1 : 0;
  const tone = column === human ? 'agree' : column === 'END' ? 'end' : column === 'deferred' || column === 'fallback' ? 'none' : 'other';
  return `${SHADES[tone][level]} text-slate-900`;
}

function ViewTable({
  name,
  view,
  params,
  title,
  note,
}: {
  name: HumanVsAdvisorViewName;
  view: HumanVsAdvisorView;
  params: Params;
  title: string;
  note: string;
}) {
  const columns = VIEW_COLUMNS[name];
  return (
    <div className="space-y-2" data-testid={`hva-${name}`}>
      <h3 className="font-medium">{title}</h3>
      <p className="text-xs text-slate-600">{note}</p>
      <table className="w-full text-sm tabular-nums">
        <caption className="sr-only">{title}: human label (rows) by advisor (columns)</caption>
        <thead className="text-xs text-slate-600">
          <tr>
            <th scope="col" className="px-2 py-1 text-left">
              Human ↓ · advisor →
            </th>
            {columns.map((c) => (
              <th key={c} scope="col" className="px-2 py-1 text-right">
                {COLUMN_NAMES[c]}
              </th>
            ))}
            <th scope="col" className="px-2 py-1 text-right">
              Turns
            </th>
          </tr>
        </thead>
        <tbody>
          {LABELS.map((h) => {
            const total = columns.reduce((s, c) => s + view.matrix[h][c], 0);
            return (
              <tr key={h} className="border-t border-slate-100">
                <th scope="row" className="px-2 py-1 text-left font-medium">
                  {h}
                </th>
                {columns.map((c) => {
                  const n = view.matrix[h][c];
                  return (
                    <td key={c} className={`px-2 py-1 text-right ${cellClass(h, c, total ? n / total : 0)}`} data-testid={`hva-${name}-${h}-${c}`}>
                      {n === 0 ? (
                        '0'
                      ) : (
                        <Link
                          href={cellHref(params, `${name}.${h}.${c}`)}
                          className="underline decoration-slate-400 decoration-dotted underline-offset-2 hover:decoration-slate-900 hover:decoration-solid"
                          title={`${n} turn${n === 1 ? '' : 's'}: humans said ${h}, advisor ${COLUMN_NAMES[c]}`}
                        >
                          {n}
                        </Link>
                      )}
                    </td>
                  );
                })}
                <td className="px-2 py-1 text-right text-slate-600">{total}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">Agreement</dt>
        <dd data-testid={`hva-${name}-agreement`}>
          {pct(view.kappa.observed)}{' '}
          <span className="text-xs text-slate-500">
            (of {view.kappa.n} turn{view.kappa.n === 1 ? '' : 's'} where the advisor {name === 'acted' ? 'acted' : 'gave a label'})
          </span>
        </dd>
        <dt className="text-slate-600">Cohen&apos;s κ</dt>
        <dd data-testid={`hva-${name}-kappa`}>{num(view.kappa.kappa)}</dd>
        <dt className="text-slate-600">Premature END</dt>
        <dd data-testid={`hva-${name}-premature-end`} className={view.prematureEnd.count > 0 ? 'font-semibold text-rose-700' : ''}>
          {rate(view.prematureEnd, view.prematureEndRate)}
        </dd>
        <dt className="text-slate-600">Missed SCHEDULE</dt>
        <dd data-testid={`hva-${name}-missed-schedule`}>{rate(view.missedSchedule, view.missedScheduleRate)}</dd>
      </dl>
    </div>
  );
}

async function CellTurns({ actor, params, cell }: { actor: Actor; params: Params; cell: HumanVsAdvisorCell }) {
  const filter = humanVsAdvisorFilterSchema.parse({ model: first(params.model), from: first(params.from), to: first(params.to) });
  const beforeRaw = first(params.hvaBefore);
  const before = beforeRaw && /^\d{1,15}$/.test(beforeRaw) ? Number(beforeRaw) : undefined;
  const page = await humanVsAdvisorCell(actor, filter, cell, before);
  const what =
    cell.human === 'tie'
      ? 'Turns whose reviewers tied'
      : `Humans said ${cell.human}, the advisor ${cell.view === 'acted' ? 'acted: ' : 'said '}${cell.column === 'any' ? 'anything' : COLUMN_NAMES[cell.column]}`;
  const key = `${cell.view}.${cell.human}.${cell.column}`;
  return (
    <div className="space-y-2" data-testid="hva-cell-turns">
      <div className="flex items-baseline justify-between">
        <h3 className="font-medium">{what}</h3>
        <Link href={cellHref(params, undefined)} className="text-sm text-indigo-700 hover:underline">
          Close
        </Link>
      </div>
      <table className="w-full text-sm">
        <caption className="sr-only">{what}</caption>
        <thead className="bg-slate-100 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th className="px-3 py-1 text-left">Conversation</th>
            <th className="px-3 py-1 text-left">Turn</th>
            <th className="px-3 py-1 text-left">Advisor</th>
            <th className="px-3 py-1 text-left">Reviewers</th>
          </tr>
        </thead>
        <tbody>
          {page.rows.length === 0 && (
            <tr>
              <td colSpan={4} className="px-3 py-3 text-center text-slate-500">
                No turns here.
              </td>
            </tr>
          )}
          {page.rows.map((t) => (
            <tr key={t.decisionId} className="border-t border-slate-100" data-testid="hva-turn">
              <td className="px-3 py-1 font-mono text-xs">
                <Link href={`/conversations/${t.conversationId}?decision=${t.decisionId}&turn=${t.messageId}`} className="text-indigo-700 hover:underline">
                  {t.externalId}
                </Link>
              </td>
              <td className="px-3 py-1 text-xs">message {t.position + 1}</td>
              <td className="px-3 py-1">
                {t.decision ?? 'no decision'}
                {t.decision && (
                  <span className="text-xs text-slate-500">
                    {' '}
                    {t.confidence === null ? '' : t.confidence.toFixed(2)} · {t.acted ? 'acted' : 'deferred'}
                  </span>
                )}
              </td>
              <td className="px-3 py-1 text-xs">{t.votes}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <PaginationNav
        prevHref={before ? cellHref(params, key) : null}
        prevLabel="← Newest"
        nextHref={page.nextBefore ? cellHref(params, key, page.nextBefore) : null}
      />
    </div>
  );
}

export async function HumanVsAdvisorSection({ actor, params }: { actor: Actor; params: Params }) {
  const filter = humanVsAdvisorFilterSchema.parse({ model: first(params.model), from: first(params.from), to: first(params.to) });
  const h = await humanVsAdvisor(actor, filter);
  const parsedCell = cellSchema.safeParse(first(params.hva));
  const scope = [filter.model && `model ${filter.model}`, filter.from && `from ${filter.from}`, filter.to && `to ${filter.to}`].filter(Boolean).join(', ');
  const counted = h.labeledTurns - h.ties;
  return (
    <section id={ANCHOR} aria-labelledby="hva-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="human-vs-advisor">
      <div>
        <h2 id="hva-heading" className="text-lg font-semibold">
          Human vs advisor
        </h2>
        <p className="text-sm text-slate-600" data-testid="hva-summary">
          {counted} live turn{counted === 1 ? '' : 's'} with both a decision and a human label{scope ? ` (${scope})` : ''}
          {h.multiReviewer > 0 && `, ${h.multiReviewer} of them labeled by several reviewers`}
          {h.ties > 0 && (
            <>
              ;{' '}
              <Link href={cellHref(params, 'all.tie.any')} className="text-indigo-700 hover:underline" data-testid="hva-ties">
                {h.ties} left out because the reviewers tied
              </Link>
            </>
          )}
          .{counted > 0 && counted < 30 && <span className="font-medium text-amber-700"> A small sample: read every rate with its counts.</span>}
        </p>
        <details className="mt-1 text-xs text-slate-600">
          <summary className="cursor-pointer">How these are counted</summary>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            <li>
              A turn is the recruiter message a live decision was about, once the conversation has reached it. A turn decided twice counts once: its newest
              decision.
            </li>
            <li>
              The human label is the label more of the turn&apos;s reviewers gave than any other (so with two reviewers, only when they agree). A tie at the top
              leaves the turn out; ties are counted above.
            </li>
            <li>
              <em>All decisions</em>: what the model answered, whatever its confidence. <em>Acted</em>: what the chatbot did — the decision only when its
              confidence reached the threshold, otherwise &ldquo;deferred&rdquo;.
            </li>
            <li>
              Agreement and κ compare two labels, so they leave out fallbacks (and, when acted, deferrals). The rates keep them: premature END = advisor END on
              turns humans labeled CONTINUE or SCHEDULE, over those turns; missed SCHEDULE = turns humans labeled SCHEDULE the advisor did not, over those
              turns.
            </li>
            <li>The model and date filters above apply here; the decision, acted and confidence filters do not (they would bias the comparison).</li>
          </ul>
        </details>
      </div>
      {counted === 0 ? (
        <p className="text-sm text-slate-600" data-testid="hva-empty">
          No live turn has both a decision and a human label yet: label live conversations on the Conversations page.
        </p>
      ) : (
        <div className="grid gap-6 xl:grid-cols-2">
          <ViewTable name="all" view={h.all} params={params} title="All decisions" note="The model's answer on every turn, acted on or not." />
          <ViewTable
            name="acted"
            view={h.acted}
            params={params}
            title="Acted (what the chatbot did)"
            note="Decisions at or above the threshold; the rest deferred."
          />
        </div>
      )}
      {parsedCell.success && <CellTurns actor={actor} params={params} cell={parsedCell.data} />}
    </section>
  );
}
