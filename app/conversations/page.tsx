import type { Metadata } from 'next';
import Link from 'next/link';
import { ImportExportLinks } from '@/components/imports/import-export-links';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { refuseNul } from '@/lib/boundary/page-params';
import { COUNT_CAP, listConversations } from '@/lib/conversations/list-conversations';
import {
  CONVERSATION_FILTERS,
  conversationHref,
  listHref,
  OUTCOME_FILTERS,
  paramsAsText,
  parseListParams,
  viewQuery,
  type ConversationFilter,
} from '@/lib/conversations/list-params';
import { overallProgress } from '@/lib/conversations/get-conversation';
import { ProgressBar } from '@/components/ui/progress-bar';
import { formatDateTime } from '@/components/ui/format-time';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
import { nextConversationAction } from './[id]/actions';
import { StartLabelingButton } from './start-labeling-button';
import { ListKeyboard } from './list-keyboard';
import { Highlight } from './highlight';

export const metadata: Metadata = { title: 'Conversations' };

type Search = Record<string, string | string[] | undefined>;

export default async function ConversationsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  refuseNul(search);
  const params = parseListParams(search);
  const actor = await actorOrSignIn(listHref({ q: params.q, filter: params.filter, sort: params.sort }));
  const [page, progress] = await Promise.all([listConversations(actor, params), overallProgress(actor)]);
  const base = { q: params.q || undefined, filter: page.filter, sort: params.sort };
  // This exact list (search, filter, sort, page): conversations opened from it keep it in ?view=.
  const view = viewQuery(paramsAsText({ ...params, filter: page.filter }));
  const filters = (Object.entries(CONVERSATION_FILTERS) as [ConversationFilter, string][]).filter(
    ([key]) => !(page.outcomesHidden && OUTCOME_FILTERS.includes(key)),
  );

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Conversations</h1>
          <p className="text-sm text-slate-600">
            <strong>Start labeling</strong> hands you the next conversation of this view that still needs you, held for you while you work on it; press{' '}
            <kbd className="rounded border px-1">n</kbd> there for the next one. In this list: <kbd className="rounded border px-1">j</kbd>/
            <kbd className="rounded border px-1">k</kbd> move, <kbd className="rounded border px-1">Enter</kbd> opens,{' '}
            <kbd className="rounded border px-1">/</kbd> searches.
          </p>
        </div>
        <div className="flex flex-col items-start gap-1">
          <StartLabelingButton view={view} nextConversation={nextConversationAction} />
          {actor.role === 'admin' && (
            <Link href="/admin/labeling" className="text-xs text-slate-600 underline">
              Labeling settings (reviewers per turn, blind labeling)
            </Link>
          )}
        </div>
        <div className="w-64 text-sm">
          <div className="mb-1 flex justify-between">
            <span>My progress</span>
            <span>
              {progress.mine.toLocaleString('en-US')} / {progress.total.toLocaleString('en-US')} turns
            </span>
          </div>
          <ProgressBar value={progress.mine} max={progress.total} label="My labeling progress overall" />
        </div>
      </div>

      {(actor.role === 'admin' || actor.role === 'ml_lead') && <ImportExportLinks />}

      <form role="search" action="/conversations" className="flex gap-2">
        <input type="hidden" name="filter" value={page.filter} />
        <input type="hidden" name="sort" value={params.sort} />
        <label htmlFor="q" className="sr-only">
          Search messages, candidates and jobs
        </label>
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={params.q}
          placeholder="Search messages, candidates, jobs…"
          className="w-full max-w-md rounded border border-slate-300 bg-white px-3 py-2"
        />
        <button type="submit" className="rounded bg-indigo-600 px-4 py-2 text-white hover:bg-indigo-700">
          Search
        </button>
        {params.q && (
          <Link href={listHref({ ...base, q: undefined })} className="self-center text-sm text-slate-600 underline">
            Clear search
          </Link>
        )}
      </form>

      <nav aria-label="Filters" className="flex flex-wrap gap-2">
        {filters.map(([key, name]) => (
          <Link
            key={key}
            href={listHref({ ...base, filter: key })}
            aria-current={page.filter === key ? 'page' : undefined}
            title={
              key === 'advisor_review'
                ? 'Live turns where the advisor deferred (below its threshold) or a reviewer disagreed with a decision it acted on'
                : undefined
            }
            className={`rounded-full border px-3 py-1 text-sm ${
              page.filter === key ? 'border-indigo-600 bg-indigo-600 text-white' : 'border-slate-300 bg-white hover:bg-slate-100'
            }`}
          >
            {name}
          </Link>
        ))}
      </nav>
      {page.outcomesHidden && (
        <p className="text-xs text-slate-500">
          Blind labeling is on: others&apos; labels (and the END / SCHEDULE outcome) show on a turn once you have labeled it.
        </p>
      )}

      <div className="flex items-center justify-between text-sm text-slate-600">
        <span
          data-testid="result-count"
          title={page.totalEstimated ? `More than ${COUNT_CAP.toLocaleString('en-US')} match: the number is PostgreSQL's estimate, not a count` : undefined}
        >
          {page.totalIsFloor ? 'more than ' : page.totalEstimated ? 'about ' : ''}
          {page.total.toLocaleString('en-US')} conversation{page.total === 1 ? '' : 's'}
        </span>
        <span className="space-x-3">
          {params.sort === 'uncertain' ? (
            <>
              <span>Sorted by the model&apos;s least confident suggestion first</span>
              <Link href={listHref({ ...base, sort: 'recent' })} className="underline">
                Sort by last activity
              </Link>
            </>
          ) : (
            <>
              <Link href={listHref({ ...base, sort: params.sort === 'recent' ? 'oldest' : 'recent' })} className="underline">
                Sorted by last activity, {params.sort === 'recent' ? 'newest first' : 'oldest first'} (switch)
              </Link>
              <Link href={listHref({ ...base, sort: 'uncertain' })} className="underline">
                Least confident suggestion first
              </Link>
            </>
          )}
        </span>
      </div>

      <ListKeyboard />
      <DataTable columns={['Candidate', 'Job', 'Last activity', 'Labeled turns', 'Mine', 'Outcome', 'Least sure suggestion']} caption="Conversations">
        {page.rows.length === 0 && (
          <tr>
            <td colSpan={7} className="px-3 py-8 text-center text-slate-500">
              No conversations match. Try another filter or search.
            </td>
          </tr>
        )}
        {page.rows.map((row) => (
          <tr key={row.id} className="border-t border-slate-100 hover:bg-slate-50 focus-within:bg-indigo-50" data-row={row.id}>
            <td className="px-3 py-2">
              <Link
                href={conversationHref(row.id, view)}
                data-row-link
                className="rounded font-medium text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
              >
                <Highlight text={row.candidateName || row.externalId} q={params.q} />
              </Link>
              <div className="text-xs text-slate-500">
                {row.externalId}
                {row.isGolden && (
                  <span
                    className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-800"
                    title="Hand-written golden conversation: scored in every evaluation, never trained on, labels fixed"
                  >
                    golden
                  </span>
                )}
              </div>
              {row.snippet && (
                <p className="mt-1 max-w-md text-xs text-slate-600" data-testid="match-snippet">
                  <Highlight text={row.snippet} q={params.q} />
                </p>
              )}
            </td>
            <td className="px-3 py-2">{row.jobTitle ? <Highlight text={row.jobTitle} q={params.q} /> : '—'}</td>
            <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(row.lastActivityAt)}</td>
            <td className="px-3 py-2">
              <div className="flex items-center gap-2">
                <ProgressBar
                  value={row.labeledTurns}
                  max={row.recruiterTurns}
                  label={`Turns labeled by anyone in ${row.candidateName ?? row.externalId}`}
                  className="w-20"
                />
                <span className="whitespace-nowrap">
                  {row.labeledTurns}/{row.recruiterTurns}
                </span>
              </div>
            </td>
            <td className="px-3 py-2 whitespace-nowrap">
              {row.myLabeledTurns}/{row.recruiterTurns}
            </td>
            <td className="px-3 py-2 space-x-1">
              {row.endTurns === null && (
                <span className="text-xs text-slate-400" title="Blind labeling: others' labels are not shown before you label">
                  hidden
                </span>
              )}
              {(row.endTurns ?? 0) > 0 && <span className="rounded bg-rose-100 px-1.5 py-0.5 text-xs text-rose-800">END</span>}
              {(row.scheduleTurns ?? 0) > 0 && <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs text-emerald-800">SCHEDULE</span>}
            </td>
            <td className="px-3 py-2 whitespace-nowrap" data-testid="least-sure">
              {row.minSuggestionConfidence === null ? '—' : row.minSuggestionConfidence.toFixed(2)}
            </td>
          </tr>
        ))}
      </DataTable>

      <PaginationNav
        prevHref={page.prevCursor ? listHref({ ...base, before: page.prevCursor }) : null}
        nextHref={page.nextCursor ? listHref({ ...base, after: page.nextCursor }) : null}
      />
    </div>
  );
}
