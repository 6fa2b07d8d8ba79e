import { providerClient } from '../finetunes/providers';
import { timed, type CheckResult } from './checks';

/** Off when `npm start` runs no local trainer (STUDIO_TRAINER=off) and no TRAINER_URL points at one. */
export function trainerEnabled(): boolean {
  return process.env.STUDIO_TRAINER !== 'off' || Boolean(process.env.TRAINER_URL);
}

/** The local trainer answers the models list, through the same SDK client fine-tunes use. */
export async function checkTrainer(timeoutMs: number): Promise<CheckResult> {
  if (!trainerEnabled()) return { status: 'disabled' };
  return timed(timeoutMs, async () => {
    const { client } = await providerClient('local');
    const models = await client.models.list({ timeout: timeoutMs, maxRetries: 0 });
    return { status: 'ok', models: models.data.length };
  });
}
