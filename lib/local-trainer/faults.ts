// Injected failures, so the Studio's retry and timeout paths can be tested against a real
// server: a share of API requests answers 429 (with retry-after), 500, or never answers.
// Set at start (`TRAINER_FAULTS=429:0.3,500:0.2,hang:0.05`) or at run time through
// POST /_control/faults; `paths` (a regex over the URL path) narrows which requests qualify.
import { z } from 'zod';
import { invalidRequest } from './errors';

const share = z.number().min(0).max(1);
export const faultConfigSchema = z
  .object({
    '429': share.optional(),
    '500': share.optional(),
    hang: share.optional(),
    paths: z.string().optional(),
    /** Delay a 429 asks for; sent as retry-after-ms and (rounded up) retry-after. */
    retry_after_ms: z.number().int().min(0).max(60_000).optional(),
  })
  .strict();
export type FaultConfig = z.infer<typeof faultConfigSchema>;
export type Fault = 'none' | '429' | '500' | 'hang';

export function parseFaultsEnv(spec: string | undefined): FaultConfig {
  const cfg: Record<string, number> = {};
  for (const item of (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, value] = item.split(':');
    const n = Number(value);
    if (!['429', '500', 'hang'].includes(key) || !Number.isFinite(n))
      throw new Error(`TRAINER_FAULTS: cannot read "${item}" (expected e.g. 429:0.3,500:0.2,hang:0.05)`);
    cfg[key] = n;
  }
  return faultConfigSchema.parse(cfg);
}

export class Faults {
  private cfg: FaultConfig = {};
  private paths: RegExp | null = null;
  private readonly random: () => number;

  constructor(cfg: FaultConfig = {}, random: () => number = Math.random) {
    this.random = random;
    this.set(cfg);
  }

  set(cfg: FaultConfig): void {
    const total = (cfg['429'] ?? 0) + (cfg['500'] ?? 0) + (cfg.hang ?? 0);
    if (total > 1) throw invalidRequest('The fault shares add up to more than 1', null);
    try {
      this.paths = cfg.paths ? new RegExp(cfg.paths) : null;
    } catch (e) {
      throw invalidRequest(`paths is not a valid regular expression: ${(e as Error).message}`, 'paths');
    }
    this.cfg = cfg;
  }

  get(): FaultConfig {
    return this.cfg;
  }

  get retryAfterMs(): number {
    return this.cfg.retry_after_ms ?? 1000;
  }

  pick(pathname: string): Fault {
    const { cfg } = this;
    if (!cfg['429'] && !cfg['500'] && !cfg.hang) return 'none';
    if (this.paths && !this.paths.test(pathname)) return 'none';
    const r = this.random();
    if (r < (cfg['429'] ?? 0)) return '429';
    if (r < (cfg['429'] ?? 0) + (cfg['500'] ?? 0)) return '500';
    if (r < (cfg['429'] ?? 0) + (cfg['500'] ?? 0) + (cfg.hang ?? 0)) return 'hang';
    return 'none';
  }
}
