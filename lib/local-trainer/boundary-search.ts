// The multipart boundary search, on Buffer.indexOf. busboy finds the boundary with streamsearch,
// a Boyer-Moore-Horspool loop in JavaScript: with the SDK's short boundary (`\r\n--openai-…`,
// ~22 bytes) it steps a few bytes at a time through the whole file part, ~0.15–0.3 s of the
// trainer's CPU per 300 MB here — a third of what receiving the upload costs it. Buffer.indexOf
// (native; it looks for the boundary's first byte, `\r`, which JSONL rarely holds) scans the same
// 300 MB in a few ms. This class gives busboy what streamsearch 1.1.0 gives it (same constructor,
// `push`, `destroy`, the same callback contract), so busboy still parses everything else.
export type SearchCallback = (isMatch: boolean, data: Buffer | undefined, start: number, end: number, isDataSafe: boolean) => void;

export class BoundarySearch {
  matches = 0;
  maxMatches = Infinity;
  private readonly needle: Buffer;
  /** The end of the data so far that could be the start of the needle (never a whole needle). */
  private lookbehind: Buffer;
  private lookbehindSize = 0;

  constructor(
    needle: Buffer | string,
    private readonly cb: SearchCallback,
    lookbehind?: Buffer,
  ) {
    this.needle = typeof needle === 'string' ? Buffer.from(needle, 'latin1') : Buffer.from(needle);
    if (this.needle.length === 0) throw new Error('cannot search for an empty needle');
    this.lookbehind = Buffer.alloc(this.needle.length);
    if (lookbehind?.length) {
      lookbehind.copy(this.lookbehind, 0, 0, Math.min(lookbehind.length, this.needle.length - 1));
      this.lookbehindSize = Math.min(lookbehind.length, this.needle.length - 1);
    }
  }

  reset(): void {
    this.matches = 0;
    this.lookbehindSize = 0;
  }

  /** Hands what is left in the lookbehind on as data (no more input is coming). */
  destroy(): void {
    if (this.lookbehindSize) this.cb(false, this.lookbehind, 0, this.lookbehindSize, false);
    this.reset();
  }

  push(chunk: Buffer | string, pos = 0): number {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const len = data.length;
    const n = this.needle.length;
    while (pos < len && this.matches < this.maxMatches) {
      if (this.lookbehindSize > 0) {
        pos = this.fromLookbehind(data, pos);
        continue;
      }
      const at = data.indexOf(this.needle, pos);
      if (at !== -1) {
        ++this.matches;
        if (at > pos) this.cb(true, data, pos, at, true);
        else this.cb(true, undefined, 0, 0, true);
        pos = at + n;
        continue;
      }
      // No match: keep the shortest tail that is a start of the needle, hand on the rest.
      const tail = this.prefixTail(data, pos, len);
      if (tail > pos) this.cb(false, data, pos, tail, true);
      data.copy(this.lookbehind, 0, tail, len);
      this.lookbehindSize = len - tail;
      pos = len;
    }
    return pos;
  }

  /** The lookbehind plus the start of `data`: a needle starting in the lookbehind, or not. */
  private fromLookbehind(data: Buffer, pos: number): number {
    const n = this.needle.length;
    const lb = this.lookbehindSize;
    const more = Math.min(n - 1, data.length - pos);
    const window = Buffer.concat([this.lookbehind.subarray(0, lb), data.subarray(pos, pos + more)]);
    const at = window.indexOf(this.needle);
    if (at !== -1) {
      // The window's part from `data` is shorter than the needle, so the match starts in the lookbehind.
      ++this.matches;
      this.lookbehindSize = 0;
      if (at > 0) this.cb(true, this.lookbehind, 0, at, false);
      else this.cb(true, undefined, 0, 0, true);
      return pos + (at + n - lb);
    }
    if (more === n - 1) {
      // Enough of `data` to rule out a needle starting anywhere in the lookbehind.
      this.lookbehindSize = 0;
      this.cb(false, this.lookbehind, 0, lb, false);
      return pos;
    }
    // `data` ran out first: hand on what cannot start the needle, keep the rest.
    const tail = this.prefixTail(window, 0, window.length);
    if (tail > 0) this.cb(false, window, 0, Math.min(tail, lb), false);
    if (tail > lb) this.cb(false, data, pos, pos + (tail - lb), true);
    window.copy(this.lookbehind, 0, tail);
    this.lookbehindSize = window.length - tail;
    return data.length;
  }

  /** The first index ≥ from where `buf[i…end)` is a start of the needle (`end` when none is). */
  private prefixTail(buf: Buffer, from: number, end: number): number {
    const first = this.needle[0];
    // A start of the needle with n or more bytes after it would have been a match.
    for (let i = buf.indexOf(first, Math.max(from, end - this.needle.length + 1)); i !== -1 && i < end; i = buf.indexOf(first, i + 1)) {
      if (buf.compare(this.needle, 0, end - i, i, end) === 0) return i;
    }
    return end;
  }
}
