// What the route handlers share.
import type { BatchRunner } from './batch-runner';
import type { DiskSpace } from './disk-space';
import type { Faults } from './faults';
import type { FileValidations } from './file-validation';
import type { JobRunner } from './job-runner';
import type { ModelRegistry } from './model-registry';
import type { Store } from './store';

export interface Deps {
  store: Store;
  runner: JobRunner;
  models: ModelRegistry;
  faults: Faults;
  disk: DiskSpace;
  validations: FileValidations;
  batches: BatchRunner;
}
