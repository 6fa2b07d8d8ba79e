// PostgreSQL COPY text format: tab-separated, \N for NULL, backslash escapes.
export function copyField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

export function copyRow(fields: (string | number | null | undefined)[]): string {
  return fields.map(copyField).join('\t') + '\n';
}
