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

const trainData = load(input.trainingPath);
// Sorted, so the same data gives the same class order (and the same model) on every run.
const labels = [...new Set(trainData.labels)].sort();
const classOf = new Map(labels.map((l, i) => [l, i]));
const trainSet: LabeledSet = { x: featurizeAll(trainData.texts), y: Int32Array.from(trainData.labels, (l) => classOf.get(l)!) };

let validSet: LabeledSet | undefined;
let unknownValidLabels = 0;
if (input.validationPath) {
  const v = load(input.validationPath);
  validSet = {
    x: featurizeAll(v.texts),
    y: Int32Array.from(v.labels, (l) => {
      const k = classOf.get(l);
      if (k === undefined) unknownValidLabels++;
      return k ?? -1;
    }),
  };
}

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
