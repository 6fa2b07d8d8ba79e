// The md5 thread of the Uploads API (upload-md5.ts): running md5 states of Uploads, kept off the
// trainer's main thread, which meanwhile parses the parts still streaming in (hashing 300 MB
// costs ~0.5–0.7 s of CPU here, as much again as receiving them). Plain JavaScript, so it needs
// no TypeScript loader. Messages are handled strictly in the order they were posted.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';

/** key → md5 state, or null once a part's file could not be read (the state says nothing). */
const states = new Map();
let queue = Promise.resolve();

async function handle(m) {
  switch (m.op) {
    case 'new':
      states.set(m.key, createHash('md5'));
      break;
    case 'copy': {
      const from = states.get(m.from);
      states.set(m.key, from ? from.copy() : null);
      break;
    }
    case 'update':
      states.get(m.key)?.update(m.chunk);
      break;
    case 'fold': {
      const state = states.get(m.key);
      if (!state) break;
      try {
        for await (const chunk of fs.createReadStream(m.path, { highWaterMark: 1024 * 1024 })) state.update(chunk);
      } catch {
        states.set(m.key, null);
      }
      break;
    }
    case 'drop':
      states.delete(m.key);
      break;
    case 'digest': {
      const state = states.get(m.key);
      parentPort.postMessage({ id: m.id, digest: state ? state.copy().digest('hex') : null });
      break;
    }
  }
}

parentPort.on('message', (m) => {
  queue = queue.then(() => handle(m)).catch(() => {});
});
