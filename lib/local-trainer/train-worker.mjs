// Entry of the training worker thread. Worker threads do not inherit a TypeScript loader in
// every host (vitest, plain node), so register tsx here and then load the real code.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
