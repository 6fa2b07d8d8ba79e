// The training worker thread: reads the job's files, featurises, trains, writes weights and
// reports progress to the job runner. It runs off the server's event loop, so the API keeps
// answering in milliseconds while a job trains, and cancelling is a `terminate()`.
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { saveWeights } from './classifier';
import { readExamples } from './examples';
import { FEATURIZER, featurizeAll } from './features';
import { nowSeconds } from './ids';
import { writeJsonAtomic } from './store';
import { stepsPerEpoch, train, type LabeledSet } from './train';
import { checkpointFile, FINAL_WEIGHTS, MANIFEST, type ModelManifest, type WorkerInput, type WorkerMessage } from './worker-protocol';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

function load(file: string): { texts: string[]; labels: string[] } {
  const examples = readExamples(fs.readFileSync(file)).filter((e) => e.label !== null);
  return { texts: examples.map((e) => e.text), labels: examples.map((e) => e.label as string) };
}

/**
 * Features and class ids of a file. The texts stay inside this function, so they can be
 * collected before training allocates. Labels missing from `classOf` map to -1.
 */
function labeledSet(file: string, classOf: Map<string, number> | null): { set: LabeledSet; labels: string[]; unknown: number } {
  const { texts, labels: raw } = load(file);
  // Sorted, so the same data gives the same class order (and the same model) on every run.
  const labels = classOf ? [...classOf.keys()] : [...new Set(raw)].sort();
  const ids = classOf ?? new Map(labels.map((l, i) => [l, i]));
  let unknown = 0;
  const y = Int32Array.from(raw, (l) => {
    const k = ids.get(l);
    if (k === undefined) unknown++;
    return k ?? -1;
  });
  return { set: { x: featurizeAll(texts), y }, labels, unknown };
}

const training = labeledSet(input.trainingPath, null);
const labels = training.labels;
const trainSet = training.set;
const validation = input.validationPath ? labeledSet(input.validationPath, new Map(labels.map((l, i) => [l, i]))) : null;
const validSet = validation?.set;
const unknownValidLabels = validation?.unknown ?? 0;

const hp = input.hyperparameters;
const totalSteps = stepsPerEpoch(trainSet.x.rows, hp.batch_size) * hp.n_epochs;
post({ t: 'prepared', examples: trainSet.x.rows, validExamples: validSet?.x.rows ?? 0, unknownValidLabels, labels, totalSteps });

fs.mkdirSync(input.modelDir, { recursive: true });
const manifest: ModelManifest = {
  featurizer: FEATURIZER,
  labels,
  job_id: input.jobId,
  fine_tuned_model: input.modelName,
  base_model: input.baseModel,
  created_at: nowSeconds(),
};
writeJsonAtomic(path.join(input.modelDir, MANIFEST), manifest);

const model = train(
  { labels, epochs: hp.n_epochs, batchSize: hp.batch_size, learningRateMultiplier: hp.learning_rate_multiplier, seed: input.seed, train: trainSet, valid: validSet },
  {
    onMetrics: (metrics, total) => post({ t: 'metrics', metrics, totalSteps: total }),
    onCheckpoint: (epoch, step, m, metrics) => {
      const file = path.join(input.modelDir, checkpointFile(step));
      saveWeights(m, file);
      post({ t: 'checkpoint', epoch, step, metrics, file });
    },
  },
);
saveWeights(model, path.join(input.modelDir, FINAL_WEIGHTS));
post({ t: 'done', steps: totalSteps });
