// Transcript → sparse feature vector by the hashing trick (2^18 buckets). The transcript is read
// back into messages (transcript-parse.ts) so the learner sees the conversation, not a bag of
// words: the candidate's LAST message on its own (words, negation-scoped words, bigrams and
// character 3–5-grams for SMS spelling), earlier candidate messages apart from it (so "not
// interested" three messages ago does not outvote "actually what's the pay?"), the recruiter
// message the candidate answered and the ones since, and the state of the thread: who spoke
// last, how many recruiter turns went unanswered, how long the silence is, how many times the
// candidate wrote, whether a time was proposed and how it was answered. Cues (cues.ts) add
// what a message says in the advisor's own terms, alone and crossed with the state.
// Each group is L2-normalised on its own so no group drowns out another.
import { candidateCues, recruiterCues, tokenize, type Tokens } from './cues';
import { FeatureBlocks } from './feature-store';
import { parseTranscript, type ParsedMessage } from './transcript-parse';

export const FEATURIZER = 'conversation-v2';
export const HASH_BITS = 18;
export const DIM = 1 << HASH_BITS;
const MASK = DIM - 1;

const G_LAST_WORDS = 0;
const G_LAST_CHARS = 1;
const G_PREV_CANDIDATE = 2;
const G_RECRUITER_BEFORE = 3;
const G_RECRUITER_AFTER = 4;
const G_STATE = 5;
const G_CUES = 6;
const G_CROSSES = 7;
export const GROUPS = 8;
/** Context older than this many characters from the end is ignored: bounded cost per example. */
const MAX_CONTEXT_CHARS = 4000;
const MAX_CHAR_NGRAM_LINE = 400;
/** Earlier candidate messages looked at (most recent first). */
const PREV_MESSAGES = 6;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(s: string, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix(h);
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

  pushToken(token: string, group: number, salt: number): void {
    this.push(hashString(token, salt), group);
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

/** Character 3-, 4- and 5-grams of text with spaces at both ends. */
function charNgrams(text: string, out: FeatureBuffer, group: number, salt: number): void {
  const end = Math.min(text.length, MAX_CHAR_NGRAM_LINE);
  const len = end + 2;
  const at = (k: number) => (k === 0 || k === len - 1 ? 32 : text.charCodeAt(k - 1));
  for (let i = 0; i + 3 <= len; i++) {
    let h = 0x811c9dc5 ^ salt;
    for (let j = 0; j < 5 && i + j < len; j++) {
      h = Math.imul(h ^ at(i + j), 0x01000193);
      if (j >= 2) out.push(fmix(h + j), group);
    }
  }
}

const SALT_LAST = 0x27d4eb2f;
const SALT_PREV = 0x165667b1;
const SALT_RB = 0x9e3779b1;
const SALT_RA = 0x85ebca77;
const SALT_STATE = 0xc2b2ae3d;
const SALT_CHARS = 0x5bd1e995;

/** Words (negation-marked), bigrams and digit shapes ("10am" → "00am"). */
function wordFeatures(words: readonly string[], out: FeatureBuffer, group: number, salt: number, bigrams: boolean): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    out.pushToken(w, group, salt);
    if (bigrams) out.pushToken(i ? `${words[i - 1]} ${w}` : `^ ${w}`, group, salt + 1);
    if (/\d/.test(w)) out.pushToken(w.replace(/\d/g, '0'), group, salt + 2);
  }
  if (bigrams && words.length) out.pushToken(`${words[words.length - 1]} $`, group, salt + 1);
}

// A message is read once per example that contains it: a thread's every turn repeats its
// earlier messages. Memoising by text keeps featurising 100k examples near the cost of reading
// each message once. Bounded: cleared when full.
const MEMO_LIMIT = 50_000;
const tokenMemo = new Map<string, Tokens>();
const candidateMemo = new Map<string, string[]>();
const recruiterMemo = new Map<string, string[]>();

function memo<T>(map: Map<string, T>, key: string, make: (k: string) => T): T {
  let v = map.get(key);
  if (v === undefined) {
    if (map.size >= MEMO_LIMIT) map.clear();
    map.set(key, (v = make(key)));
  }
  return v;
}
const tokensOf = (text: string) => memo(tokenMemo, text, tokenize);
const candidateCuesOf = (text: string) => memo(candidateMemo, text, (t) => candidateCues(t, tokensOf(t)));
const recruiterCuesOf = (text: string) => memo(recruiterMemo, text, recruiterCues);

/** Minutes → a coarse silence bucket. */
function gapBucket(m: number | null): string {
  if (m === null) return '?';
  if (m < 10) return '<10m';
  if (m < 60) return '<1h';
  if (m < 360) return '<6h';
  if (m < 1440) return '<1d';
  if (m < 2880) return '<2d';
  if (m < 5760) return '<4d';
  return '4d+';
}

function countBucket(n: number, edges: readonly number[]): string {
  for (const e of edges) if (n <= e) return `${n <= edges[0] ? n : `≤${e}`}`;
  return `>${edges[edges.length - 1]}`;
}

/** The conversation-state and cue tokens of a parsed transcript. */
export function stateTokens(messages: readonly ParsedMessage[], turnGap: number | null): string[] {
  let lastC = -1;
  let nCandidate = 0;
  for (let i = 0; i < messages.length; i++) {
    if (messages[i].speaker === 'candidate') {
      lastC = i;
      nCandidate++;
    }
  }
  const trailing = messages.length - 1 - lastC;
  // Silence since the candidate last wrote (or since the thread began): the gaps after it.
  let silence: number | null = turnGap;
  for (let i = lastC + 1; i < messages.length && silence !== null; i++) {
    if (i === 0) continue;
    const g = messages[i].gap;
    silence = g === null ? null : silence + g;
  }
  const trail = String(Math.min(trailing, 4));
  const last = messages.length ? messages[messages.length - 1].speaker : 'none';
  const out = [
    `last=${last}`,
    `trail=${trail}`,
    `ncand=${countBucket(nCandidate, [0, 1, 2, 4])}`,
    `nmsg=${countBucket(messages.length, [1, 2, 4, 7, 12])}`,
    `turngap=${gapBucket(turnGap)}`,
    `silence=${gapBucket(silence)}`,
    `trail=${trail}&turngap=${gapBucket(turnGap)}`,
    `trail=${trail}&silence=${gapBucket(silence)}`,
    `trail=${trail}&ncand=${Math.min(nCandidate, 2)}`,
  ];
  if (lastC < 0) return out;

  const cand = messages[lastC];
  const cues = candidateCuesOf(cand.text);
  let rb = -1;
  for (let i = lastC - 1; i >= 0; i--)
    if (messages[i].speaker === 'recruiter') {
      rb = i;
      break;
    }
  const rCues = rb >= 0 ? recruiterCuesOf(messages[rb].text) : ['none'];
  const trail2 = String(Math.min(trailing, 2));
  for (const c of cues) {
    out.push(`c:${c}`, `c:${c}&trail=${trail2}`);
    if (trailing > 0) out.push(`c:${c}&silence=${gapBucket(silence)}`);
    for (const r of rCues) out.push(`rb:${r}&c:${c}`);
  }
  for (const r of rCues) out.push(`rb:${r}`);
  // Answering the opening text ("interested?") is not answering a screening question or an
  // interview offer: a "yes" there starts the screening rather than the booking.
  const answered = rb === 0 ? 'opening' : rb > 0 ? 'later' : 'none';
  out.push(`rbpos=${answered}`);
  for (const c of cues) out.push(`rbpos=${answered}&c:${c}`);
  // What the candidate said before their last message, as cues only: the words are their own group.
  const seen = new Set<string>();
  for (let i = lastC - 1, k = 0; i >= 0 && k < PREV_MESSAGES; i--) {
    if (messages[i].speaker !== 'candidate') continue;
    k++;
    for (const c of candidateCuesOf(messages[i].text)) if (!c.startsWith('len')) seen.add(c);
  }
  for (const p of seen) {
    out.push(`p:${p}`);
    for (const c of cues) if (!c.startsWith('len')) out.push(`p:${p}&c:${c}`);
  }
  // Recruiter messages since the candidate's last one (answers, nudges).
  for (let i = lastC + 1; i < messages.length; i++) for (const r of recruiterCuesOf(messages[i].text)) out.push(`ra:${r}`);
  return out;
}

/** The bucket a state or cue token (as stateTokens names it) hashes to. */
export function stateBucket(token: string): number {
  return hashString(token, SALT_STATE) & MASK;
}

/** Featurises `raw` into `out` (reset first). */
export function featurize(raw: string, out: FeatureBuffer): void {
  out.reset();
  const text = raw.length > MAX_CONTEXT_CHARS ? raw.slice(raw.length - MAX_CONTEXT_CHARS) : raw;
  const { messages, turnGap } = parseTranscript(text);
  // Three groups, so the few cues of the last message are not diluted by the many crosses.
  for (const t of stateTokens(messages, turnGap)) out.pushToken(t, t.includes('&') ? G_CROSSES : t.startsWith('c:') ? G_CUES : G_STATE, SALT_STATE);

  let lastC = -1;
  for (let i = messages.length - 1; i >= 0; i--)
    if (messages[i].speaker === 'candidate') {
      lastC = i;
      break;
    }
  if (lastC >= 0) {
    const t = messages[lastC].text;
    wordFeatures(tokensOf(t).words, out, G_LAST_WORDS, SALT_LAST, true);
    charNgrams(t.toLowerCase(), out, G_LAST_CHARS, SALT_CHARS);
  }
  for (let i = lastC - 1, k = 0; i >= 0 && k < PREV_MESSAGES; i--) {
    if (messages[i].speaker !== 'candidate') continue;
    k++;
    wordFeatures(tokensOf(messages[i].text).words, out, G_PREV_CANDIDATE, SALT_PREV, false);
  }
  for (let i = lastC - 1; i >= 0; i--)
    if (messages[i].speaker === 'recruiter') {
      wordFeatures(tokensOf(messages[i].text).plain, out, G_RECRUITER_BEFORE, SALT_RB, true);
      break;
    }
  if (messages.length && messages.length - 1 > lastC) {
    wordFeatures(tokensOf(messages[messages.length - 1].text).plain, out, G_RECRUITER_AFTER, SALT_RA, true);
  }
  out.finish();
}

/**
 * Every example's features, packed: row r's entries are store.row(block[r], start[r], length[r]).
 * A feature's value is its group's normalisation factor, so it is not stored per entry: each
 * entry packs the bucket (low 24 bits) with its group (high bits), and `scales` holds the
 * per-row group factors. Rows live in fixed-size blocks (feature-store.ts) — in memory, or for
 * a large set in a file — so building the matrix never holds two copies of it.
 */
export interface FeatureMatrix {
  rows: number;
  store: FeatureBlocks;
  block: Uint32Array;
  start: Int32Array;
  length: Int32Array;
  /** rows × GROUPS */
  scales: Float32Array;
}

export const GROUP_SHIFT = 24;
export const BUCKET_MASK = (1 << GROUP_SHIFT) - 1;

function grown<T extends Uint32Array | Int32Array | Float32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const out = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  out.set(a);
  return out;
}

/** Appends featurised rows to a store, keeping where each one went. */
export class MatrixBuilder {
  readonly store: FeatureBlocks;
  rows = 0;
  private block = new Uint32Array(1024);
  private start = new Int32Array(1024);
  private length = new Int32Array(1024);
  private scales = new Float32Array(1024 * GROUPS);
  private readonly buf = new FeatureBuffer();
  private packed = new Int32Array(4096);

  constructor(store: FeatureBlocks) {
    this.store = store;
  }

  add(text: string): void {
    const { buf } = this;
    featurize(text, buf);
    const r = this.rows++;
    this.block = grown(this.block, this.rows);
    this.start = grown(this.start, this.rows);
    this.length = grown(this.length, this.rows);
    this.scales = grown(this.scales, this.rows * GROUPS);
    buf.groupScales(this.scales, r * GROUPS);
    if (this.packed.length < buf.n) this.packed = new Int32Array(buf.n * 2);
    for (let i = 0; i < buf.n; i++) this.packed[i] = buf.idx[i] | (buf.grp[i] << GROUP_SHIFT);
    const at = this.store.append(this.packed, buf.n);
    this.block[r] = at.block;
    this.start[r] = at.start;
    this.length[r] = buf.n;
  }

  /** Every row added (call store.finish() first). */
  build(): FeatureMatrix {
    return selectRows({ rows: this.rows, store: this.store, block: this.block, start: this.start, length: this.length, scales: this.scales }, null);
  }
}

/** The rows `rows` of m, in that order (all rows when null), sharing m's store. */
export function selectRows(m: FeatureMatrix, rows: Int32Array | null): FeatureMatrix {
  const n = rows ? rows.length : m.rows;
  const out: FeatureMatrix = {
    rows: n,
    store: m.store,
    block: new Uint32Array(n),
    start: new Int32Array(n),
    length: new Int32Array(n),
    scales: new Float32Array(n * GROUPS),
  };
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i] : i;
    out.block[i] = m.block[r];
    out.start[i] = m.start[r];
    out.length[i] = m.length[r];
    out.scales.set(m.scales.subarray(r * GROUPS, (r + 1) * GROUPS), i * GROUPS);
  }
  return out;
}

/** The features of `texts`, in memory. */
export function featurizeAll(texts: readonly string[]): FeatureMatrix {
  const b = new MatrixBuilder(new FeatureBlocks());
  for (const t of texts) b.add(t);
  b.store.finish();
  return b.build();
}
