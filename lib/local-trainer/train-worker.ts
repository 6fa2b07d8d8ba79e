// The training worker thread: streams the job's files, featurises, trains, writes weights and
// reports progress to the job runner (fit.ts holds the recipe). Memory does not grow with the
// files: examples are read line by line and features past a budget live in a file. It runs off the server's event loop, so the API keeps
// answering in milliseconds while a job trains, and cancelling is a `terminate()`.
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { saveWeights } from './classifier';
import { FEATURIZER } from './features';
import { fitClassifierFromFiles } from './fit';
import { nowSeconds } from './ids';
import { writeJsonAtomic } from './store';
import { stepsPerEpoch } from './train';
import { checkpointFile, FINAL_WEIGHTS, MANIFEST, type ModelManifest, type WorkerInput, type WorkerMessage } from './worker-protocol';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
let totalSteps = 0;

const hp = input.hyperparameters;
fs.mkdirSync(input.modelDir, { recursive: true });

const result = fitClassifierFromFiles(
  {
    trainingPath: input.trainingPath,
    validationPath: input.validationPath,
    spillPath: path.join(input.modelDir, 'features.tmp'),
    epochs: hp.n_epochs,
    batchSize: hp.batch_size,
    learningRateMultiplier: hp.learning_rate_multiplier,
    seed: input.seed,
  },
  {
    onPrepared: (info) => {
      const manifest: ModelManifest = {
        featurizer: FEATURIZER,
        labels: info.labels,
        job_id: input.jobId,
        fine_tuned_model: input.modelName,
        base_model: input.baseModel,
        created_at: nowSeconds(),
      };
      writeJsonAtomic(path.join(input.modelDir, MANIFEST), manifest);
      totalSteps = stepsPerEpoch(info.examples, hp.batch_size) * hp.n_epochs;
      post({
        t: 'prepared',
        examples: info.examples,
        validExamples: info.validExamples,
        unknownValidLabels: info.unknownValidLabels,
        heldOutFromTraining: info.heldOutFromTraining,
        labels: info.labels,
        totalSteps,
      });
    },
    onMetrics: (metrics, total) => post({ t: 'metrics', metrics, totalSteps: total }),
    onCheckpoint: (epoch, step, m, metrics) => {
      const file = path.join(input.modelDir, checkpointFile(step));
      saveWeights(m, file);
      post({ t: 'checkpoint', epoch, step, metrics, file });
    },
  },
);
saveWeights(result.model, path.join(input.modelDir, FINAL_WEIGHTS));
post({ t: 'done', steps: totalSteps, bestEpoch: result.bestEpoch, temperature: result.calibration.temperature });
