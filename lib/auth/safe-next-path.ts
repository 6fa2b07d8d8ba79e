// Where a sign-in may send the browser afterwards: only a path of this Studio. Browsers read
// "/\evil.example" and "//evil.example" as another host, some decode "%5C" to "\" first, and
// strip tabs and newlines from URLs, so anything that could become another origin is refused
// rather than repaired.
const BASE = 'http://studio.invalid';
const MAX_LENGTH = 2048;

/** `next` as a same-origin path ("/conversations?filter=x#t"), or `fallback` when it is not one. */
export function safeNextPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_LENGTH) return fallback;
  const forms = decodings(next);
  if (!forms) return fallback;
  for (const form of forms) {
    if (/[\u0000-\u001f\u007f\\]/.test(form)) return fallback;
    if (!form.startsWith('/') || form.startsWith('//')) return fallback;
  }
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

// The string itself and what it becomes when percent-decoded, up to three times (double
// encoding is how "%5C" filters are usually slipped past); null when it does not decode.
function decodings(s: string): string[] | null {
  const out = [s];
  let current = s;
  for (let i = 0; i < 3 && current.includes('%'); i++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return null;
    }
    out.push(current);
  }
  return out;
}
