// Free disk space, checked before and while bytes are written: an upload has no size cap but
// the disk, and a trainer that fills its disk breaks every other write (job state, events,
// weights). So uploads stop — with OpenAI's error shape, as a 413 the SDK does not retry —
// when writing them would leave less than `reserveBytes` free.
import fs from 'node:fs';
import { ApiError } from './errors';

/** Default free space kept for job state, events and weights. */
export const DEFAULT_RESERVE_BYTES = 256 * 1024 * 1024;
/** How often a streaming write looks at the free space again. */
export const CHECK_EVERY_BYTES = 16 * 1024 * 1024;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

export class DiskSpace {
  readonly dir: string;
  readonly reserveBytes: number;

  constructor(dir: string, reserveBytes = DEFAULT_RESERVE_BYTES) {
    this.dir = dir;
    this.reserveBytes = reserveBytes;
  }

  freeBytes(): number {
    const s = fs.statfsSync(this.dir);
    return s.bavail * s.bsize;
  }

  /** Throws the 413 unless `bytes` more can be written and still leave the reserve free. */
  ensure(bytes: number): void {
    const free = this.freeBytes();
    if (free - bytes < this.reserveBytes) throw insufficientStorage(bytes, free, this.reserveBytes);
  }
}

export function insufficientStorage(bytes: number, free: number, reserve: number): ApiError {
  return new ApiError(
    413,
    `Not enough free disk space on the local trainer for this file: ${mb(bytes)} more would leave less than ${mb(reserve)} of the ${mb(free)} free. Free disk space on the trainer's machine (or delete files), then upload again.`,
    { code: 'insufficient_storage', param: 'file' },
  );
}

export const isDiskFull = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code === 'ENOSPC' || (e as NodeJS.ErrnoException | null)?.code === 'EDQUOT';
