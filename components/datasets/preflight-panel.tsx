import type { PreflightReport } from '@/lib/datasets/preflight';

const ICON = { ok: '✓', warning: '!', error: '✗' } as const;
const TONE = { ok: 'text-emerald-700', warning: 'text-amber-700', error: 'text-red-700' } as const;
const LEVEL_TEXT = { ok: 'passed', warning: 'warning', error: 'error' } as const;

export function PreflightPanel({ report }: { report: PreflightReport }) {
  const c = report.cost;
  return (
    <section aria-labelledby="checks" className="grid gap-4 lg:grid-cols-2">
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="checks" className="mb-2 font-medium">
          Pre-flight checks
        </h2>
        <ul className="space-y-2 text-sm">
          {report.items.map((i) => (
            <li key={i.id} className="flex gap-2">
              <span aria-hidden="true" className={`w-4 font-bold ${TONE[i.level]}`}>
                {ICON[i.level]}
              </span>
              <span>
                <span className="font-medium">{i.title}</span> <span className="sr-only">({LEVEL_TEXT[i.level]})</span>
                <span className="block text-slate-600">{i.detail}</span>
              </span>
            </li>
          ))}
        </ul>
        {!report.trainable && (
          <p className="mt-3 rounded bg-amber-50 p-2 text-xs text-amber-900">
            This version cannot be used to fine-tune; it can still be exported and used for evaluation.
          </p>
        )}
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-1 font-medium">Cost estimate</h2>
        <p className="mb-2 text-xs text-slate-600">
          OpenAI cookbook rule: {c.examples.toLocaleString('en-US')} training examples × {c.nEpochs} epochs (default for this size) ×{' '}
          {c.billingTokens.toLocaleString('en-US')} billed tokens = ~{c.chargedTokens.toLocaleString('en-US')} charged tokens.
        </p>
        <table className="w-full text-sm">
          <caption className="sr-only">Estimated training cost per base model</caption>
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th scope="col">Base model</th>
              <th scope="col" className="text-right">
                $ / 1M tokens
              </th>
              <th scope="col" className="text-right">
                Estimate
              </th>
            </tr>
          </thead>
          <tbody>
            {c.perModel.map((m) => (
              <tr key={m.model} className="border-t border-slate-100">
                <td className="py-1 font-mono text-xs">{m.model}</td>
                <td className="py-1 text-right tabular-nums">{m.usdPerMillionTrainingTokens}</td>
                <td className="py-1 text-right tabular-nums">${m.usd.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
