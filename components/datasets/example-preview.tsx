import Link from 'next/link';
import { SPLITS, type SplitName } from '@/lib/datasets/params';
import type { LabelValueName } from '@/lib/labeling/label-values';
import { PaginationNav } from '@/components/ui/pagination-nav';

interface Example {
  ordinal: number;
  conversationId: number;
  externalId: string;
  messageId: number;
  label: LabelValueName;
  tokens: number;
  userContent: string;
}

const LABEL_TONE: Record<LabelValueName, string> = {
  END: 'bg-rose-100 text-rose-800',
  CONTINUE: 'bg-sky-100 text-sky-800',
  SCHEDULE: 'bg-emerald-100 text-emerald-800',
};

function href(versionId: number, q: { split: SplitName; label?: string | null; after?: number | null }) {
  const s = new URLSearchParams({ split: q.split });
  if (q.label) s.set('label', q.label);
  if (q.after) s.set('after', String(q.after));
  return `/datasets/${versionId}?${s}#examples`;
}

export function ExamplePreview(props: {
  versionId: number;
  split: SplitName;
  label: LabelValueName | null;
  examples: Example[];
  nextAfter: number | null;
  paged: boolean;
  totals: Record<SplitName, number>;
  labels: readonly LabelValueName[];
}) {
  const { versionId, split, label } = props;
  const tab = (active: boolean) => `rounded px-2 py-1 text-sm ${active ? 'bg-indigo-600 text-white' : 'hover:bg-slate-100'}`;
  return (
    <section id="examples" aria-labelledby="examples-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="examples-title" className="mb-2 font-medium">
        Examples
      </h2>
      <div className="mb-3 flex flex-wrap items-center gap-4">
        <nav aria-label="Split" className="flex gap-1">
          {SPLITS.map((s) => (
            <Link key={s} href={href(versionId, { split: s, label })} aria-current={s === split ? 'page' : undefined} className={tab(s === split)}>
              {s} ({props.totals[s].toLocaleString('en-US')})
            </Link>
          ))}
        </nav>
        <nav aria-label="Label" className="flex gap-1">
          <Link href={href(versionId, { split })} aria-current={!label ? 'page' : undefined} className={tab(!label)}>
            all labels
          </Link>
          {props.labels.map((l) => (
            <Link key={l} href={href(versionId, { split, label: l })} aria-current={label === l ? 'page' : undefined} className={tab(label === l)}>
              {l}
            </Link>
          ))}
        </nav>
      </div>
      {props.examples.length === 0 ? (
        <p className="text-sm text-slate-600">No examples here.</p>
      ) : (
        <ol className="space-y-3">
          {props.examples.map((e) => (
            <li key={e.ordinal} className="rounded border border-slate-200 p-3">
              <div className="mb-2 flex flex-wrap items-center gap-3 text-xs text-slate-600">
                <span className="font-mono">line {e.ordinal}</span>
                <span className={`rounded px-2 py-0.5 font-medium ${LABEL_TONE[e.label]}`}>{e.label}</span>
                <span>{e.tokens.toLocaleString('en-US')} tokens</span>
                <Link href={`/conversations/${e.conversationId}?turn=${e.messageId}`} className="text-indigo-700 hover:underline">
                  Open turn in {e.externalId} →
                </Link>
              </div>
              <pre className="max-h-48 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">{e.userContent}</pre>
            </li>
          ))}
        </ol>
      )}
      <div className="mt-3">
        <PaginationNav
          prevHref={props.paged ? href(versionId, { split, label }) : null}
          prevLabel="← First page"
          nextHref={props.nextAfter ? href(versionId, { split, label, after: props.nextAfter }) : null}
        />
      </div>
    </section>
  );
}
