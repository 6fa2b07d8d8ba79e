// Text PostgreSQL cannot store faithfully: invalid UTF-8 (kept visible by ./utf8-decoder.ts
// as surrogateescape characters), lone surrogates (`"\ud800"` escapes) and NUL (`"\u0000"`).
// Without these checks the first two silently became U+FFFD on the way into COPY and the
// third failed the COPY with "invalid byte sequence for encoding UTF8: 0x00" and no place.
import { escapedByte, formatBytes, type InvalidBytes } from './utf8-decoder';

export type TextIssue = { path: PropertyKey[]; message: string };

/**
 * Reports every string (and key) in `value` that holds one of these, with its path.
 * `invalid` is the queue of invalid byte runs the decoder found, in file order; runs met
 * in strings are matched to it in order, which gives their line and column, and tells an
 * invalid byte from a `\udcXX` escape that happens to look the same once decoded.
 */
export function findTextIssues(value: unknown, invalid: InvalidBytes[] | undefined, out: TextIssue[]): void {
  walk(value, invalid, out, []);
}

// `path` is one stack, pushed and popped on the way; it is copied only for an issue.
function walk(value: unknown, invalid: InvalidBytes[] | undefined, out: TextIssue[], path: PropertyKey[]): void {
  if (typeof value === 'string') {
    const problem = stringProblem(value, invalid);
    if (problem) {
      const field = path.findLast((k) => typeof k === 'string') ?? 'value';
      out.push({ path: [...path], message: `${printable(String(field))} ${problem}` });
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], invalid, out, path);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const k in value) {
      path.push(k);
      const keyProblem = stringProblem(k, invalid);
      if (keyProblem) out.push({ path: [...path], message: `the property name ${keyProblem}` });
      walk((value as Record<string, unknown>)[k], invalid, out, path);
      path.pop();
    }
  }
}

/**
 * True when JSON text cannot hold any of these problems: it is well-formed (so no invalid
 * bytes and no raw lone surrogate) and has no \u escape (the only way to write NUL or a lone
 * surrogate in valid JSON). Lets the importer skip the walk for nearly every line.
 */
export function jsonTextIsClean(text: string): boolean {
  return text.indexOf('\\u') < 0 && text.isWellFormed();
}

function stringProblem(s: string, invalid: InvalidBytes[] | undefined): string | null {
  if (s.isWellFormed() && !s.includes('\0')) return null;
  let first: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) {
      first ??= `contains a NUL character (\\u0000) at character ${i + 1}, which cannot be stored`;
      continue;
    }
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i += 1; // a proper pair
      continue;
    }
    // A run of escaped bytes is one invalid sequence if the decoder saw those very bytes.
    const bytes: number[] = [];
    for (let j = i; j < s.length && escapedByte(s.charCodeAt(j)) !== null; j++) bytes.push(escapedByte(s.charCodeAt(j))!);
    const run = bytes.length > 0 ? claimRun(invalid, bytes) : null;
    if (run) {
      first ??= `is not valid UTF-8: bytes ${formatBytes(run.bytes)} at line ${run.line}, column ${run.column} (byte offset ${run.offset})`;
      i += bytes.length - 1;
    } else {
      first ??= `contains a lone surrogate (\\u${c.toString(16)}) at character ${i + 1}, which is not valid Unicode`;
    }
  }
  return first;
}

// The run the decoder recorded for these bytes: normally the head of the queue; a run no
// string claimed (in a place this walk does not see) must not hide the ones behind it.
function claimRun(invalid: InvalidBytes[] | undefined, bytes: number[]): InvalidBytes | null {
  if (!invalid) return null;
  for (let k = 0; k < invalid.length && k < 16; k++) {
    if (sameBytes(invalid[k].bytes, bytes)) return invalid.splice(k, 1)[0];
  }
  return null;
}

function sameBytes(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A key or value safe to print: lone surrogates and control characters as \u escapes. */
export function printable(s: string): string {
  return s.replace(
    /[\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
