// Text → sparse feature vector by the hashing trick (2^18 buckets): word unigrams and bigrams
// over the transcript, and — because the decision mostly rests on how a transcript ends (the
// candidate's last message, how long they have been silent) — the last three lines again as
// position-tagged words plus character 3–5-grams of the last two (robust to SMS spelling:
// "tmrw", "intrested"). Each group is L2-normalised on its own so a long transcript cannot
// drown out its last line.
//
// Hashing works on char codes without building substrings: featurising must keep up with
// 100k-example files and with sub-millisecond inference.
export const FEATURIZER = 'hashed-ngrams-v1';
export const HASH_BITS = 18;
export const DIM = 1 << HASH_BITS;
const MASK = DIM - 1;

/** Feature groups; each is normalised to unit length. */
const G_WORDS = 0; // transcript words + bigrams
const G_LAST_WORDS = 1; // 1, 2, 3: last line, second-to-last, third-to-last
const G_LAST_CHARS = 4; // 4, 5: char n-grams of the last two lines
export const GROUPS = 6;
const LAST_LINES = 3;
const CHAR_LINES = 2;
/** Context older than this many characters from the end is ignored: bounded cost per example. */
const MAX_CONTEXT_CHARS = 4000;
const MAX_CHAR_NGRAM_LINE = 400;

const SEED_UNI = 0x9e3779b1;
const SEED_BI = 0x85ebca77;
const SEED_SHAPE = 0xc2b2ae3d;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Reusable output of one featurisation: bucket ids and values, `n` entries. */
export class FeatureBuffer {
  idx = new Int32Array(4096);
  val = new Float32Array(4096);
  grp = new Uint8Array(4096);
  n = 0;
  private readonly counts = new Int32Array(GROUPS);

  reset(): void {
    this.n = 0;
    this.counts.fill(0);
  }

  push(hash: number, group: number): void {
    if (this.n === this.idx.length) this.grow();
    this.idx[this.n] = hash & MASK;
    this.grp[this.n++] = group;
    this.counts[group]++;
  }

  private grow(): void {
    const cap = this.idx.length * 2;
    const idx = new Int32Array(cap);
    idx.set(this.idx);
    const val = new Float32Array(cap);
    val.set(this.val);
    const grp = new Uint8Array(cap);
    grp.set(this.grp);
    this.idx = idx;
    this.val = val;
    this.grp = grp;
  }

  /** Writes the GROUPS normalisation factors of the current features to out[at …]. */
  groupScales(out: Float32Array, at: number): void {
    for (let g = 0; g < GROUPS; g++) out[at + g] = this.counts[g] ? 1 / Math.sqrt(this.counts[g]) : 0;
  }

  finish(): void {
    const scale = new Float32Array(GROUPS);
    this.groupScales(scale, 0);
    for (let i = 0; i < this.n; i++) this.val[i] = scale[this.grp[i]];
  }
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127;
}

/** Word unigrams, bigrams and digit shapes ("+2d" → "+0d", "10am" → "00am") of text[start, end). */
function words(text: string, start: number, end: number, out: FeatureBuffer, group: number, salt: number): void {
  let prev = 0;
  let i = start;
  while (i < end) {
    let c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    // A "+" glued to a number is kept: "[+2d 4h]" is how transcripts mark silences.
    let h = i > start && text.charCodeAt(i - 1) === 43 ? Math.imul(0x811c9dc5 ^ 43, 0x01000193) : 0x811c9dc5;
    let shape = h;
    let digits = false;
    while (i < end) {
      c = text.charCodeAt(i);
      // Apostrophes are dropped so "don't" and "dont" are one word.
      if (c === 39 || c === 0x2019) {
        i++;
        continue;
      }
      if (!isWordChar(c)) break;
      h = Math.imul(h ^ c, 0x01000193);
      const isDigit = c >= 48 && c <= 57;
      digits ||= isDigit;
      shape = Math.imul(shape ^ (isDigit ? 48 : c), 0x01000193);
      i++;
    }
    out.push(fmix(h ^ SEED_UNI ^ salt), group);
    if (prev) out.push(fmix((Math.imul(prev, 31) + h) ^ SEED_BI ^ salt), group);
    if (digits) out.push(fmix(shape ^ SEED_SHAPE ^ salt), group);
    prev = h;
  }
}

/** Character 3-, 4- and 5-grams of text[start, end) with spaces at both ends. */
function charNgrams(text: string, start: number, end: number, out: FeatureBuffer, group: number, salt: number): void {
  if (end - start > MAX_CHAR_NGRAM_LINE) end = start + MAX_CHAR_NGRAM_LINE;
  const len = end - start + 2;
  const at = (k: number) => (k === 0 || k === len - 1 ? 32 : text.charCodeAt(start + k - 1));
  for (let i = 0; i + 3 <= len; i++) {
    let h = 0x811c9dc5 ^ salt;
    for (let j = 0; j < 5 && i + j < len; j++) {
      h = Math.imul(h ^ at(i + j), 0x01000193);
      if (j >= 2) out.push(fmix(h + j), group);
    }
  }
}

/** Featurises `raw` into `out` (reset first). */
export function featurize(raw: string, out: FeatureBuffer): void {
  out.reset();
  const text = (raw.length > MAX_CONTEXT_CHARS ? raw.slice(raw.length - MAX_CONTEXT_CHARS) : raw).toLowerCase();
  // Line boundaries from the end, skipping blank lines.
  const ends: number[] = [];
  const starts: number[] = [];
  let end = text.length;
  while (end > 0 && ends.length < LAST_LINES) {
    const nl = text.lastIndexOf('\n', end - 1);
    const start = nl + 1;
    if (text.slice(start, end).trim()) {
      starts.push(start);
      ends.push(end);
    }
    end = nl === -1 ? 0 : nl;
  }
  words(text, 0, text.length, out, G_WORDS, 0);
  for (let k = 0; k < starts.length; k++) {
    words(text, starts[k], ends[k], out, G_LAST_WORDS + k, (k + 1) * 0x27d4eb2f);
    if (k < CHAR_LINES) charNgrams(text, starts[k], ends[k], out, G_LAST_CHARS + k, (k + 1) * 0x165667b1);
  }
  out.finish();
}

/**
 * Every example's features, packed: row r owns blocks[block[r]][start[r], start[r] + length[r]).
 * A feature's value is its group's normalisation factor, so it is not stored per entry: each
 * entry packs the bucket (low 24 bits) with its group (high bits), and `scales` holds the
 * per-row group factors. Rows live in fixed-size blocks instead of one array so building the
 * matrix never holds two copies of it: 100k examples take ~180 MB, allocated once.
 */
export interface FeatureMatrix {
  rows: number;
  blocks: Int32Array[];
  block: Uint16Array;
  start: Int32Array;
  length: Int32Array;
  /** rows × GROUPS */
  scales: Float32Array;
}

export const GROUP_SHIFT = 24;
export const BUCKET_MASK = (1 << GROUP_SHIFT) - 1;
const BLOCK_ENTRIES = 1 << 22;

export function featurizeAll(texts: readonly string[]): FeatureMatrix {
  const buf = new FeatureBuffer();
  const m: FeatureMatrix = {
    rows: texts.length,
    blocks: [],
    block: new Uint16Array(texts.length),
    start: new Int32Array(texts.length),
    length: new Int32Array(texts.length),
    scales: new Float32Array(texts.length * GROUPS),
  };
  let current = new Int32Array(0);
  let used = 0;
  for (let r = 0; r < texts.length; r++) {
    featurize(texts[r], buf);
    buf.groupScales(m.scales, r * GROUPS);
    if (used + buf.n > current.length) {
      if (used) m.blocks.push(current.subarray(0, used));
      current = new Int32Array(Math.max(BLOCK_ENTRIES, buf.n));
      used = 0;
    }
    for (let i = 0; i < buf.n; i++) current[used + i] = buf.idx[i] | (buf.grp[i] << GROUP_SHIFT);
    m.block[r] = m.blocks.length;
    m.start[r] = used;
    m.length[r] = buf.n;
    used += buf.n;
  }
  if (used) m.blocks.push(current.subarray(0, used));
  return m;
}
