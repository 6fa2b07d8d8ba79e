// multipart/form-data parsing for file uploads (what the SDK's `files.create` sends), over the
// whole body buffer with Buffer.indexOf: no dependency, and the file part is a view, not a copy.
import { invalidRequest } from './errors';

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string {
  const m = /^multipart\/form-data\s*;.*?boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!m) throw invalidRequest('Expected a multipart/form-data body with a boundary', null);
  return m[1] ?? m[2];
}

function headerParam(header: string, key: string): string | undefined {
  const m = new RegExp(`;\\s*${key}\\*?=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]+))`, 'i').exec(header);
  if (!m) return undefined;
  const raw = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2].trim();
  // RFC 5987 form: filename*=utf-8''name%20here
  const ext = /^utf-8''(.*)$/i.exec(raw);
  return ext ? decodeURIComponent(ext[1]) : raw;
}

export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw invalidRequest('Malformed multipart body: boundary not found');
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 45 && body[pos + 1] === 45) break; // "--": closing delimiter
    if (body[pos] === 13 && body[pos + 1] === 10) pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd === -1) throw invalidRequest('Malformed multipart body: part headers not terminated');
    const headers = body.toString('utf8', pos, headerEnd).split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next === -1) throw invalidRequest('Malformed multipart body: missing closing boundary');
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h));
    const name = headerParam(disposition, 'name');
    if (name !== undefined) {
      parts.push({ name, filename: headerParam(disposition, 'filename'), contentType: type?.split(':')[1].trim(), data: body.subarray(headerEnd + 4, next) });
    }
    pos = next + 2;
  }
  return parts;
}
