// Moves jobs through validating_files → queued → running → succeeded | failed | cancelled.
// One job trains at a time, in a worker thread; the others wait in `queued`, oldest first.
// Every transition is written to disk before it is visible, so after a crash or restart
// `resume()` finds the jobs that were in flight and runs them again from the start.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { resolveHyperparameters } from './hyperparameters';
import { newCheckpointId, newFileId, nowSeconds } from './ids';
import type { FileValidations } from './file-validation';
import type { Store } from './store';
import { ACTIVE_STATUSES, type CheckpointMetrics, type JobRecord, type StepMetrics } from './types';
import type { FineTuneFileStats } from './validate-jsonl';
import { FINAL_WEIGHTS, type WorkerInput, type WorkerMessage } from './worker-protocol';

/** OpenAI's minimum (reference §1.1), checked when the job validates its files. */
export const MIN_TRAINING_EXAMPLES = 10;
/** OpenAI keeps the checkpoints of the last three epochs. */
const KEPT_CHECKPOINTS = 3;

interface Running {
  id: string;
  worker: Worker;
  startedAt: number;
  totalSteps: number;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function roundMetrics(m: CheckpointMetrics): CheckpointMetrics {
  const out = { ...m };
  for (const k of Object.keys(out) as (keyof CheckpointMetrics)[]) if (out[k] !== undefined) out[k] = round(out[k]);
  return out;
}

export class JobRunner {
  private current: Running | null = null;
  private closed = false;
  private readonly store: Store;
  private readonly validations: FileValidations;
  private readonly onModelsChanged: () => void;
  private readonly log: (line: string) => void;

  constructor(store: Store, validations: FileValidations, onModelsChanged: () => void, log: (line: string) => void) {
    this.store = store;
    this.validations = validations;
    this.onModelsChanged = onModelsChanged;
    this.log = log;
  }

  /** After a (re)start: re-validate or re-queue every job that was in flight. */
  resume(): void {
    for (const rec of this.store.listJobs()) {
      if (!ACTIVE_STATUSES.includes(rec.job.status)) continue;
      if (rec.job.status === 'validating_files') {
        setImmediate(() => void this.validate(rec.job.id));
        continue;
      }
      const wasRunning = rec.job.status === 'running';
      this.resetProgress(rec);
      rec.job.status = 'queued';
      this.store.saveJob(rec);
      if (wasRunning) {
        this.store.addEvent(rec.job.id, {
          level: 'warn',
          message: 'The trainer restarted while this job was running; training starts again from the beginning',
        });
        this.log(`${rec.job.id} was running when the trainer stopped: queued to run again`);
      }
    }
    this.pump();
  }

  submit(rec: JobRecord): void {
    this.store.addEvent(rec.job.id, { message: `Created fine-tuning job: ${rec.job.id}` });
    this.log(`${rec.job.id} created (training file ${rec.job.training_file})`);
    setImmediate(() => void this.validate(rec.job.id));
  }

  cancel(rec: JobRecord): void {
    if (this.current?.id === rec.job.id) {
      const { worker } = this.current;
      this.current = null;
      void worker.terminate();
    }
    this.resetProgress(rec);
    rec.job.status = 'cancelled';
    rec.job.finished_at = nowSeconds();
    this.store.saveJob(rec);
    this.store.addEvent(rec.job.id, { message: 'Fine-tuning job cancelled' });
    this.log(`${rec.job.id} cancelled`);
    this.pump();
  }

  /** Stops the running worker without touching job state: the next start resumes the job. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.current;
    this.current = null;
    if (running) await running.worker.terminate();
  }

  /**
   * A file's verdict: its stats once it validated, or the job's error if it is gone or bad. A
   * file still being checked (uploaded moments ago) is waited for: the job stays in
   * `validating_files` meanwhile, as OpenAI's does.
   */
  private async checkedFile(
    id: string,
    which: 'training' | 'validation',
  ): Promise<{ stats: FineTuneFileStats } | { error: { code: string; message: string; param: string } }> {
    await this.validations.settled(id);
    const rec = this.store.getFile(id);
    const code = `invalid_${which}_file`;
    const param = `${which}_file`;
    const name = which === 'training' ? 'Training' : 'Validation';
    if (!rec) return { error: { code, param, message: `${name} file ${id} no longer exists.` } };
    if (rec.file.status === 'error')
      return {
        error: { code, param, message: `The job failed due to an invalid ${which} file (${id}). ${rec.file.status_details ?? 'It failed validation.'}` },
      };
    if (!rec.stats) return { error: { code, param, message: `${name} file ${id} is not a fine-tune file that validated.` } };
    return { stats: rec.stats };
  }

  private async validate(id: string): Promise<void> {
    const rec = this.store.getJob(id);
    if (this.closed || !rec || rec.job.status !== 'validating_files') return;
    const { job } = rec;
    this.store.addEvent(id, {
      message: `Validating training file: ${job.training_file}${job.validation_file ? ` and validation file: ${job.validation_file}` : ''}`,
    });

    const checkedTraining = await this.checkedFile(job.training_file, 'training');
    const checkedValidation = job.validation_file ? await this.checkedFile(job.validation_file, 'validation') : null;
    // Cancelled (or the trainer closing) while the files were being checked.
    if (this.closed || rec.job.status !== 'validating_files') return;
    if ('error' in checkedTraining) return this.fail(rec, checkedTraining.error.code, checkedTraining.error.message, checkedTraining.error.param);
    const training = checkedTraining.stats;
    const usable = training.examples - training.withoutTarget;
    if (usable < MIN_TRAINING_EXAMPLES) {
      return this.fail(
        rec,
        'invalid_n_examples',
        `Training file has ${usable} example(s), but must have at least ${MIN_TRAINING_EXAMPLES} examples`,
        'training_file',
      );
    }
    if (checkedValidation) {
      if ('error' in checkedValidation) return this.fail(rec, checkedValidation.error.code, checkedValidation.error.message, checkedValidation.error.param);
      const validation = checkedValidation.stats;
      if (validation.examples - validation.withoutTarget < 1)
        return this.fail(rec, 'invalid_validation_file', 'Validation file has no examples', 'validation_file');
    }
    if (training.withoutTarget) {
      this.store.addEvent(id, {
        level: 'warn',
        message: `${training.withoutTarget} training example(s) have no assistant message with weight 1 and are skipped`,
      });
    }

    const resolved = resolveHyperparameters(rec.requested, usable);
    job.hyperparameters = { ...resolved };
    job.method = { type: 'supervised', supervised: { hyperparameters: { ...resolved } } };
    job.status = 'queued';
    this.store.saveJob(rec);
    this.store.addEvent(id, { message: 'Files validated, moving job to queued state' });
    this.pump();
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const next = this.store.listJobs().find((r) => r.job.status === 'queued');
    if (next) this.start(next);
  }

  private start(rec: JobRecord): void {
    const { job } = rec;
    const training = this.store.getFile(job.training_file);
    const validation = job.validation_file ? this.store.getFile(job.validation_file) : undefined;
    if (!training || (job.validation_file && !validation)) {
      return this.fail(rec, 'invalid_training_file', 'A file of this job was deleted before training started.', training ? 'validation_file' : 'training_file');
    }
    const modelDir = this.store.modelDir(job.id);
    fs.rmSync(modelDir, { recursive: true, force: true });
    const input: WorkerInput = {
      jobId: job.id,
      trainingPath: this.store.fileDataPaths(training.file.id),
      validationPath: validation ? this.store.fileDataPaths(validation.file.id) : null,
      hyperparameters: {
        n_epochs: job.hyperparameters.n_epochs as number,
        batch_size: job.hyperparameters.batch_size as number,
        learning_rate_multiplier: job.hyperparameters.learning_rate_multiplier as number,
      },
      seed: job.seed,
      modelDir,
      modelName: rec.modelName,
      baseModel: job.model,
    };
    let worker: Worker;
    try {
      worker = new Worker(new URL('./train-worker.mjs', import.meta.url), { workerData: input });
    } catch (e) {
      return this.fail(rec, 'training_failed', `Could not start the training worker: ${(e as Error).message}`, null);
    }
    const run: Running = { id: job.id, worker, startedAt: Date.now(), totalSteps: 0 };
    this.current = run;
    job.status = 'running';
    this.store.saveJob(rec);
    this.store.addEvent(job.id, { message: 'Fine-tuning job started' });
    this.log(`${job.id} running (${JSON.stringify(job.hyperparameters)}, seed ${job.seed})`);

    const mine = () => this.current === run;
    worker.on('message', (m: WorkerMessage) => {
      if (!mine()) return;
      try {
        this.onWorkerMessage(rec, run, m);
      } catch (e) {
        this.current = null;
        void worker.terminate();
        this.fail(rec, 'training_failed', `Training failed: ${(e as Error).message}`, null);
      }
    });
    worker.on('error', (e) => {
      if (!mine()) return;
      this.current = null;
      this.fail(rec, 'training_failed', `Training failed: ${e.message}`, null);
    });
    worker.on('exit', (code) => {
      if (!mine()) return;
      this.current = null;
      this.fail(rec, 'training_failed', `The training worker exited unexpectedly (code ${code})`, null);
    });
  }

  private onWorkerMessage(rec: JobRecord, run: Running, m: WorkerMessage): void {
    const { job } = rec;
    switch (m.t) {
      case 'prepared': {
        run.totalSteps = m.totalSteps;
        const hp = job.hyperparameters;
        this.store.addEvent(job.id, {
          message: `Training on ${m.examples} examples (${m.labels.length} labels: ${m.labels.join(', ')}) for ${hp.n_epochs} epoch(s), batch size ${hp.batch_size}: ${m.totalSteps} steps`,
        });
        if (m.heldOutFromTraining) {
          this.store.addEvent(job.id, {
            message: `No validation file: ${m.validExamples} examples from a tenth of the training conversations are held out for early stopping and confidence calibration`,
          });
        }
        if (m.unknownValidLabels) {
          this.store.addEvent(job.id, {
            level: 'warn',
            message: `${m.unknownValidLabels} validation example(s) have a label that is not in the training file; they count as errors`,
          });
        }
        return;
      }
      case 'metrics': {
        const s = m.metrics;
        rec.metrics.push(s);
        const valid = s.valid_loss === null ? '' : `, validation loss=${s.valid_loss.toFixed(4)}`;
        this.store.addEvent(job.id, {
          type: 'metrics',
          message: `Step ${s.step}/${m.totalSteps}: training loss=${s.train_loss.toFixed(4)}${valid}`,
          data: {
            step: s.step,
            train_loss: round(s.train_loss),
            train_mean_token_accuracy: round(s.train_accuracy),
            ...(s.valid_loss === null ? {} : { valid_loss: round(s.valid_loss) }),
            ...(s.valid_mean_token_accuracy === null ? {} : { valid_mean_token_accuracy: round(s.valid_mean_token_accuracy) }),
            total_steps: m.totalSteps,
          },
        });
        const elapsed = (Date.now() - run.startedAt) / 1000;
        job.estimated_finish = Math.ceil(run.startedAt / 1000 + (elapsed * m.totalSteps) / s.step);
        this.store.saveJob(rec);
        return;
      }
      case 'checkpoint': {
        rec.checkpoints.push({
          id: newCheckpointId(),
          object: 'fine_tuning.job.checkpoint',
          created_at: nowSeconds(),
          fine_tuned_model_checkpoint: `${rec.modelName}:ckpt-step-${m.step}`,
          fine_tuning_job_id: job.id,
          metrics: roundMetrics(m.metrics),
          step_number: m.step,
        });
        for (const old of rec.checkpoints.splice(0, Math.max(0, rec.checkpoints.length - KEPT_CHECKPOINTS))) {
          fs.rmSync(path.join(this.store.modelDir(job.id), `ckpt-step-${old.step_number}.bin`), { force: true });
        }
        this.store.saveJob(rec);
        this.store.addEvent(job.id, { message: `Checkpoint created at step ${m.step}` });
        return;
      }
      case 'done': {
        this.store.addEvent(job.id, {
          message: `Kept the weights of epoch ${m.bestEpoch} (lowest validation loss); confidences calibrated on held-out examples (temperature ${m.temperature.toFixed(2)})`,
        });
        this.current = null;
        void run.worker.terminate();
        this.succeed(rec).then(
          () => this.pump(),
          (e: Error) => this.fail(rec, 'training_failed', `Training failed: ${e.message}`, null),
        );
        return;
      }
    }
  }

  private async succeed(rec: JobRecord): Promise<void> {
    const { job } = rec;
    if (!fs.existsSync(path.join(this.store.modelDir(job.id), FINAL_WEIGHTS))) throw new Error('the worker reported success without weights');
    const csv = resultCsv(rec.metrics);
    const id = newFileId();
    await this.store.addFile(
      {
        file: {
          id,
          object: 'file',
          bytes: Buffer.byteLength(csv),
          created_at: nowSeconds(),
          filename: 'step_metrics.csv',
          purpose: 'fine-tune-results',
          status: 'processed',
        },
        seq: this.store.nextSeq(),
      },
      csv,
    );
    // The job stays `running` until here: a cancel that landed during the write wins.
    if (rec.job.status !== 'running') {
      this.store.deleteFile(id);
      return;
    }
    const tokens = this.store.getFile(job.training_file)?.stats?.tokens ?? 0;
    job.result_files = [id];
    job.trained_tokens = tokens * (job.hyperparameters.n_epochs as number);
    job.fine_tuned_model = rec.modelName;
    job.status = 'succeeded';
    job.finished_at = nowSeconds();
    job.estimated_finish = null;
    this.store.saveJob(rec);
    this.store.addEvent(job.id, { message: `New fine-tuned model created: ${rec.modelName}` });
    this.store.addEvent(job.id, { message: 'The job has successfully completed' });
    this.log(`${job.id} succeeded: ${rec.modelName}`);
    this.onModelsChanged();
  }

  private fail(rec: JobRecord, code: string, message: string, param: string | null): void {
    const { job } = rec;
    job.status = 'failed';
    job.error = { code, message, param };
    job.finished_at = nowSeconds();
    job.estimated_finish = null;
    this.store.saveJob(rec);
    this.store.addEvent(job.id, { level: 'error', message });
    this.log(`${job.id} failed: ${message}`);
    this.pump();
  }

  /** Forgets a partial run: its metrics, checkpoints and weights. */
  private resetProgress(rec: JobRecord): void {
    rec.metrics = [];
    rec.checkpoints = [];
    rec.job.estimated_finish = null;
    fs.rmSync(this.store.modelDir(rec.job.id), { recursive: true, force: true });
  }
}

/** The result file (reference §1.6); empty validation cells when there is no validation file. */
export function resultCsv(rows: readonly StepMetrics[]): string {
  const cell = (x: number | null) => (x === null ? '' : String(round(x)));
  const lines = rows.map((r) => [r.step, cell(r.train_loss), cell(r.train_accuracy), cell(r.valid_loss), cell(r.valid_mean_token_accuracy)].join(','));
  return ['step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy', ...lines].join('\n') + '\n';
}
