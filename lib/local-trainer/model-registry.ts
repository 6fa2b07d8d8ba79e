// Which models answer chat completions: `local-base` (the keyword rule) and every succeeded
// fine-tune, plus its kept checkpoints (`…:ckpt-step-N`), as on OpenAI. Weights are loaded on
// first use and kept in memory, so inference is a featurisation and a few thousand multiply-adds.
import fs from 'node:fs';
import path from 'node:path';
import { baseProba, BASE_LABELS } from './base-model';
import { loadWeights, predictProba, type Classifier } from './classifier';
import { decide } from './decision';
import { FEATURIZER } from './features';
import type { Store } from './store';
import { BASE_MODEL, ORGANIZATION_ID, type JobRecord } from './types';
import { checkpointFile, FINAL_WEIGHTS, MANIFEST, type ModelManifest } from './worker-protocol';

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export interface Predictor {
  labels: readonly string[];
  proba(text: string): Float64Array;
  /** The label answered at temperature 0 (decision.ts for fine-tunes: a premature END costs more). */
  choose(probs: Float64Array): number;
}

/** Fixed so the base model's `created` does not change between restarts. */
const BASE_CREATED = 1_767_225_600; // 2026-01-01
const MAX_CACHED = 32;

const argmax = (p: Float64Array) => p.reduce((best, x, k) => (x > p[best] ? k : best), 0);
const basePredictor: Predictor = { labels: BASE_LABELS, proba: baseProba, choose: argmax };

export class ModelRegistry {
  private readonly store: Store;
  private readonly cache = new Map<string, Predictor>();
  private byName: Map<string, JobRecord> | null = null;

  constructor(store: Store) {
    this.store = store;
  }

  /** Call when a job succeeds or a model is deleted. */
  invalidate(): void {
    this.byName = null;
  }

  private index(): Map<string, JobRecord> {
    if (!this.byName) {
      this.byName = new Map();
      for (const rec of this.store.listJobs()) {
        if (rec.job.status === 'succeeded' && rec.job.fine_tuned_model && !rec.modelDeleted) this.byName.set(rec.job.fine_tuned_model, rec);
      }
    }
    return this.byName;
  }

  list(): ModelObject[] {
    const tuned = [...this.index().values()].map((rec) => modelObject(rec));
    return [{ id: BASE_MODEL, object: 'model', created: BASE_CREATED, owned_by: 'local-trainer' }, ...tuned.reverse()];
  }

  get(id: string): ModelObject | undefined {
    if (id === BASE_MODEL) return this.list()[0];
    const rec = this.index().get(id);
    return rec && modelObject(rec);
  }

  /** The job that produced a fine-tuned model (not a checkpoint). */
  jobOf(id: string): JobRecord | undefined {
    return this.index().get(id);
  }

  delete(id: string): boolean {
    const rec = this.index().get(id);
    if (!rec) return false;
    rec.modelDeleted = true;
    this.store.saveJob(rec);
    fs.rmSync(this.store.modelDir(rec.job.id), { recursive: true, force: true });
    for (const key of this.cache.keys()) if (key === id || key.startsWith(`${id}:ckpt-step-`)) this.cache.delete(key);
    this.invalidate();
    return true;
  }

  predictor(id: string): Predictor | undefined {
    if (id === BASE_MODEL) return basePredictor;
    const hit = this.cache.get(id);
    if (hit) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const loaded = this.load(id);
    if (!loaded) return undefined;
    this.cache.set(id, loaded);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    return loaded;
  }

  private load(id: string): Predictor | undefined {
    const m = /^(.*):ckpt-step-(\d+)$/.exec(id);
    const rec = this.index().get(m ? m[1] : id);
    if (!rec) return undefined;
    const dir = this.store.modelDir(rec.job.id);
    let file = path.join(dir, FINAL_WEIGHTS);
    if (m) {
      const step = Number(m[2]);
      if (!rec.checkpoints.some((c) => c.step_number === step)) return undefined;
      file = path.join(dir, checkpointFile(step));
    }
    if (!fs.existsSync(file)) return undefined;
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as ModelManifest;
    if (manifest.featurizer !== FEATURIZER) throw new Error(`${id} was trained with featurizer ${manifest.featurizer}; this trainer has ${FEATURIZER}`);
    const model: Classifier = loadWeights(manifest.labels, file);
    return { labels: model.labels, proba: (text) => predictProba(model, text), choose: (p) => decide(model.labels, p) };
  }
}

function modelObject(rec: JobRecord): ModelObject {
  return { id: rec.job.fine_tuned_model as string, object: 'model', created: rec.job.finished_at ?? rec.job.created_at, owned_by: ORGANIZATION_ID };
}
