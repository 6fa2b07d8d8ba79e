// The one seeded PRNG of the repo (mulberry32), for everything that must come out the same for
// the same seed: the sample data, the local trainer's shuffles and sampling, bootstrap intervals.
// Not cryptographic. No imports, so the local trainer (a separate process that must not import
// app domain code) can use it too.

/** mulberry32 as a uint32 stream: the raw draws, for hot loops that scale them themselves. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A seeded generator: call it for a float in [0, 1); the helpers draw from the same stream. */
export interface Rng {
  (): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  const u32 = mulberry32(seed);
  const next = () => u32() / 4294967296;
  return Object.assign(next, {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  });
}

/** Fisher–Yates with the given generator. */
export function shuffleInPlace<T>(items: { length: number; [i: number]: T }, rng: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
}

/** FNV-1a over a string: a stable seed for inputs that do not bring one. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
