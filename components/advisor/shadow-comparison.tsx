// The Advisor page's shadow section (server component): the candidate asked beside the advisor
// on live traffic, how often the two agree, how each does on the live turns reviewers have
// labeled (McNemar clustered by conversation), the latest requests side by side, and — for ML
// leads and admins — attach, detach and promote.
import Link from 'next/link';
import type { Actor } from '@/lib/auth/session';
import { currentPromotion } from '@/lib/advisor/promotions';
import { attachedShadowFor } from '@/lib/advisor/shadow';
import { compareShadow, listShadowPairs, shadowPairsCursorSchema, shadowToCompare, type ModelOnLabeled } from '@/lib/advisor/shadow-comparison';
import { listFineTunedModels } from '@/lib/finetunes/queries';
import { modelLabel } from '@/lib/evals/baselines';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { formatDateTime } from '@/components/ui/format-time';
import { attachShadowAction, detachShadowAction, promoteShadowAction } from '@/app/advisor/actions';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const conf = (c: number | null) => (c === null ? '' : ` (${c.toFixed(2)})`);
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const field = 'mt-1 w-full rounded border border-slate-300 px-2 py-1';

function hrefWith(params: Record<string, string | string[] | undefined>, change: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...change })) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one) q.set(k, one);
  }
  const s = q.toString();
  return `/advisor${s ? `?${s}` : ''}#shadow-heading`;
}

function ModelCells({ m, n }: { m: ModelOnLabeled; n: number }) {
  return (
    <>
      <td className="px-3 py-1 tabular-nums">
        {pct(m.accuracy)}{' '}
        <span className="text-xs text-slate-500">
          ({m.correct} of {n})
        </span>
      </td>
      <td className="px-3 py-1 tabular-nums">
        {pct(m.prematureEndRate)}{' '}
        <span className="text-xs text-slate-500">
          ({m.prematureEnd.count} of {m.prematureEnd.of})
        </span>
      </td>
    </>
  );
}

async function AttachShadow({ actor, replacing }: { actor: Actor; replacing: string | null }) {
  const models = await listFineTunedModels(actor);
  return (
    <ConfirmAction
      action={attachShadowAction}
      trigger={replacing ? 'Attach another shadow…' : 'Attach a shadow model…'}
      title="Attach a model in shadow"
      confirm="Attach in shadow"
      hidden={{}}
      triggerClassName="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700"
    >
      <p>
        Every decision request also asks this model, after the advisor&apos;s answer is sent: the chatbot never waits for it and never sees its answer. It is
        rendered with the prompt and transcript it was trained with.{replacing ? ` It replaces the shadow ${replacing}.` : ''}
      </p>
      <label className="block">
        Model
        <input
          name="model"
          aria-label="Model"
          list="shadow-models"
          required
          maxLength={200}
          className={`${field} font-mono text-xs`}
          placeholder="ft:… or a base model"
        />
      </label>
      <datalist id="shadow-models">
        {models.map((m) => (
          <option key={m.jobId} value={m.model}>
            {m.dataset.name} v{m.datasetVersion.version}
          </option>
        ))}
        <option value="local-base">keyword rule</option>
      </datalist>
      <label className="block">
        Provider
        <select name="provider" aria-label="Provider" defaultValue="" className={field}>
          <option value="">the one it was fine-tuned on (local for a base model)</option>
          <option value="local">local trainer</option>
          <option value="openai">OpenAI</option>
        </select>
      </label>
      <label className="block">
        Timeout (ms, default as the advisor&apos;s setting)
        <input name="timeoutMs" type="number" min={100} max={60000} className={field} />
      </label>
      <label className="block">
        Note
        <input name="note" maxLength={500} className={field} />
      </label>
    </ConfirmAction>
  );
}

export async function ShadowComparison({ actor, searchParams }: { actor: Actor; searchParams: Record<string, string | string[] | undefined> }) {
  const canManage = actor.role === 'ml_lead' || actor.role === 'admin';
  const [shadow, attached, advisor] = await Promise.all([shadowToCompare(actor), attachedShadowFor(actor), currentPromotion()]);
  const before = shadowPairsCursorSchema.parse(Array.isArray(searchParams.shadowBefore) ? searchParams.shadowBefore[0] : searchParams.shadowBefore);
  const [cmp, page] = shadow ? await Promise.all([compareShadow(actor, shadow.id), listShadowPairs(actor, shadow.id, before)]) : [null, null];

  return (
    <section aria-labelledby="shadow-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="shadow-section">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="shadow-heading" className="text-lg font-semibold">
            Shadow model (online A/B)
          </h2>
          <p className="text-sm text-slate-600">
            A candidate asked beside the advisor on the same live requests, after the answer is sent. Its answers are logged, never used.
          </p>
        </div>
        {canManage && advisor && (
          <div className="flex max-w-md flex-wrap items-center justify-end gap-2">
            <AttachShadow actor={actor} replacing={attached?.model ?? null} />
          </div>
        )}
      </div>

      {!shadow || !cmp || !page ? (
        <p className="text-sm text-slate-600" data-testid="no-shadow">
          No shadow model yet.{' '}
          {canManage
            ? advisor
              ? 'Attach one to compare it with the advisor on live traffic before promoting it.'
              : 'Promote an advisor first; a shadow is compared with it.'
            : 'An ML lead or admin attaches one.'}
        </p>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-4" data-testid="shadow-model">
            <div>
              <dt className="text-xs text-slate-500">Shadow</dt>
              <dd className="font-mono text-xs" data-testid="shadow-model-name">
                {modelLabel(shadow.model)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Status</dt>
              <dd>
                {shadow.detachedAt ? (
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">detached {formatDateTime(shadow.detachedAt)}</span>
                ) : (
                  <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">attached · asked on every request</span>
                )}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Provider · timeout</dt>
              <dd>
                {shadow.provider} · {shadow.timeoutMs} ms
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Attached</dt>
              <dd className="text-xs">
                #{shadow.id}, {formatDateTime(shadow.attachedAt)}
                {attached?.id === shadow.id && ` by ${attached.attachedByEmail}`}
                {shadow.datasetVersionId && (
                  <div>
                    trained on{' '}
                    <Link href={`/datasets/${shadow.datasetVersionId}`} className="text-indigo-700 hover:underline">
                      dataset version #{shadow.datasetVersionId}
                    </Link>
                  </div>
                )}
              </dd>
            </div>
          </dl>
          {shadow.note && <p className="text-sm text-slate-700">Note: {shadow.note}</p>}

          {canManage && !shadow.detachedAt && (
            <div className="flex flex-wrap items-center gap-2">
              <ConfirmAction
                action={promoteShadowAction}
                trigger="Promote the shadow…"
                title={`Make ${shadow.model} the advisor?`}
                confirm="Promote"
                hidden={{ shadowId: String(shadow.id) }}
                triggerClassName="rounded bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800"
              >
                <p>
                  The chatbot gets this model&apos;s decisions from the next request on{advisor ? `, replacing ${advisor.model}` : ''}. This is a normal
                  promotion (recorded in the history, undone by a rollback); the shadow is detached.
                </p>
                {cmp.labeled.n > 0 && (
                  <p className="text-slate-600">
                    On {plural(cmp.labeled.n, 'labeled live turn')}: shadow {pct(cmp.labeled.shadow.accuracy)} vs advisor {pct(cmp.labeled.advisor.accuracy)}
                    {cmp.labeled.mcnemar ? ` (McNemar p = ${cmp.labeled.mcnemar.pValue.toFixed(3)})` : ''}.
                  </p>
                )}
                <label className="block">
                  Threshold (act when confidence ≥)
                  <input name="threshold" type="number" min={0} max={1} step={0.05} defaultValue={advisor?.threshold ?? 0.7} className={field} />
                </label>
                <label className="block">
                  Note
                  <input name="note" maxLength={500} className={field} />
                </label>
              </ConfirmAction>
              <ConfirmAction action={detachShadowAction} trigger="Detach" title={`Stop asking ${shadow.model}?`} confirm="Detach" hidden={{}} danger>
                <p>Decision requests stop asking it at once. Its logged decisions and this comparison stay.</p>
              </ConfirmAction>
            </div>
          )}

          <div className="grid gap-4 xl:grid-cols-2">
            <DataTable columns={['Same requests', '']} caption="Advisor and shadow on the same requests">
              <tr className="border-t border-slate-100">
                <td className="px-3 py-1">Requests answered by both</td>
                <td className="px-3 py-1 tabular-nums" data-testid="shadow-pairs">
                  {cmp.pairs}
                </td>
              </tr>
              <tr className="border-t border-slate-100">
                <td className="px-3 py-1">Agreement (where both decided)</td>
                <td className="px-3 py-1 tabular-nums" data-testid="shadow-agreement">
                  {pct(cmp.agreementRate)}{' '}
                  <span className="text-xs text-slate-500">
                    ({cmp.agreed} of {cmp.bothDecided})
                  </span>
                </td>
              </tr>
              <tr className="border-t border-slate-100">
                <td className="px-3 py-1">No answer (timeout, provider failure): advisor · shadow</td>
                <td className="px-3 py-1 tabular-nums">
                  {cmp.advisorFellBack} · {cmp.shadowFellBack}
                </td>
              </tr>
              <tr className="border-t border-slate-100">
                <td className="px-3 py-1">Shadow calls skipped under load</td>
                <td className="px-3 py-1 tabular-nums">{cmp.dropped}</td>
              </tr>
              <tr className="border-t border-slate-100">
                <td className="px-3 py-1">Shadow model latency p50 · p95</td>
                <td className="px-3 py-1 tabular-nums">{cmp.shadowLatencyP50 === null ? '—' : `${cmp.shadowLatencyP50} ms · ${cmp.shadowLatencyP95} ms`}</td>
              </tr>
            </DataTable>

            <div className="space-y-2">
              <DataTable columns={['On labeled live turns', 'Accuracy', 'Premature END']} caption="Accuracy on live turns reviewers labeled">
                <tr className="border-t border-slate-100">
                  <th scope="row" className="px-3 py-1 text-left font-normal">
                    Advisor <span className="font-mono text-xs">{cmp.advisorModels.map(modelLabel).join(', ') || '—'}</span>
                  </th>
                  <ModelCells m={cmp.labeled.advisor} n={cmp.labeled.n} />
                </tr>
                <tr className="border-t border-slate-100">
                  <th scope="row" className="px-3 py-1 text-left font-normal">
                    Shadow <span className="font-mono text-xs">{modelLabel(shadow.model)}</span>
                  </th>
                  <ModelCells m={cmp.labeled.shadow} n={cmp.labeled.n} />
                </tr>
              </DataTable>
              <p className="text-xs text-slate-600" data-testid="shadow-mcnemar">
                {cmp.labeled.n === 0 ? (
                  <>No live turn answered by both has a reviewers&apos; majority label yet{cmp.labeled.tied ? ` (${cmp.labeled.tied} tied)` : ''}.</>
                ) : (
                  <>
                    {plural(cmp.labeled.n, 'labeled turn')} in {plural(cmp.labeled.conversations, 'conversation')} (majority of reviewers
                    {cmp.labeled.tied ? `; ${plural(cmp.labeled.tied, 'tied turn')} left out` : ''}; no answer counts as wrong). McNemar, clustered by
                    conversation: shadow right where the advisor was wrong {cmp.labeled.mcnemar!.b01}×, the reverse {cmp.labeled.mcnemar!.b10}×, p ={' '}
                    {cmp.labeled.mcnemar!.pValue.toFixed(3)} —{' '}
                    {cmp.labeled.mcnemar!.significant
                      ? `a real difference in favour of the ${cmp.labeled.mcnemar!.b01 > cmp.labeled.mcnemar!.b10 ? 'shadow' : 'advisor'}.`
                      : 'no significant difference yet.'}
                  </>
                )}
              </p>
            </div>
          </div>

          <DataTable columns={['When', 'Conversation', 'Turn', 'Advisor', 'Shadow', '']} caption="Latest requests, advisor beside shadow">
            {page.rows.length === 0 && (
              <tr>
                <td colSpan={6} className="px-3 py-4 text-center text-slate-500">
                  The shadow has not answered a request yet.
                </td>
              </tr>
            )}
            {page.rows.map((r) => (
              <tr key={r.decisionId} className="border-t border-slate-100" data-testid="shadow-pair-row">
                <td className="px-3 py-1 text-xs">{formatDateTime(r.createdAt)}</td>
                <td className="px-3 py-1 font-mono text-xs">
                  {r.conversationId ? (
                    <Link
                      href={`/conversations/${r.conversationId}?decision=${r.decisionId}${r.turnMessageId ? `&turn=${r.turnMessageId}` : ''}`}
                      className="text-indigo-700 hover:underline"
                    >
                      {r.externalId}
                    </Link>
                  ) : (
                    r.externalId
                  )}
                </td>
                <td className="px-3 py-1 text-xs">{r.turnMessageId ? `message ${r.position + 1}` : `next after message ${r.position}`}</td>
                <td className="px-3 py-1" data-testid="pair-advisor">
                  <span className="font-medium">{r.advisorDecision ?? 'none'}</span>
                  <span className="text-xs text-slate-500">
                    {conf(r.advisorConfidence)} {r.acted ? 'acted' : 'deferred'}
                  </span>
                </td>
                <td className="px-3 py-1" data-testid="pair-shadow">
                  <span className="font-medium">{r.shadowDecision ?? `none (${r.shadowFallbackReason})`}</span>
                  <span className="text-xs text-slate-500">
                    {conf(r.shadowConfidence)}
                    {r.shadowLatencyMs !== null ? ` ${r.shadowLatencyMs} ms` : ''}
                  </span>
                </td>
                <td className="px-3 py-1 text-xs">
                  {r.advisorDecision && r.shadowDecision ? (
                    r.advisorDecision === r.shadowDecision ? (
                      <span className="text-emerald-700">agree</span>
                    ) : (
                      <span className="font-medium text-amber-700">differ</span>
                    )
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          <PaginationNav
            prevHref={before ? hrefWith(searchParams, { shadowBefore: undefined }) : null}
            prevLabel="← Newest"
            nextHref={page.nextBefore ? hrefWith(searchParams, { shadowBefore: String(page.nextBefore) }) : null}
          />
        </>
      )}
    </section>
  );
}
