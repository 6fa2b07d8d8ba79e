// The pre-flight report as plain text, for the CLI (the page renders the same report).
import type { PreflightReport } from './preflight';

const MARK = { ok: '✓', warning: '!', error: '✗' } as const;

export function formatPreflight(r: PreflightReport): string {
  const lines = ['Pre-flight checks:'];
  for (const i of r.items) lines.push(`  ${MARK[i.level]} ${i.title}: ${i.detail}`);
  const c = r.cost;
  lines.push(
    `Cost estimate (cookbook): ${c.examples.toLocaleString('en-US')} training examples × ${c.nEpochs} epochs, ` +
      `${c.billingTokens.toLocaleString('en-US')} billed tokens per epoch, ~${c.chargedTokens.toLocaleString('en-US')} charged tokens`,
  );
  for (const m of c.perModel) lines.push(`  ${m.model.padEnd(26)} $${m.usd.toFixed(2)}  ($${m.usdPerMillionTrainingTokens}/1M)`);
  return lines.join('\n');
}
