// Step 1 of a browser import: the page names the file and its size; a file over the limit is
// refused here, before a single byte is sent.
import { z } from 'zod';
import type { Actor } from '../../auth/session';
import { db } from '../../db';
import { InputError, PayloadTooLargeError } from '../../errors';
import type { FileFormat } from '../read-conversations';
import { assertCanImport } from './access';
import { formatMegabytes, maxUploadBytes, UPLOAD_TTL_HOURS } from './limits';

export const createUploadInput = z.object({
  fileName: z
    .string({ error: 'the file needs a name' })
    .trim()
    .min(1, 'the file needs a name')
    .max(200, 'the file name is longer than 200 characters')
    .refine((s) => !/[\u0000-\u001f/\\]/.test(s), 'the file name holds a character a file name cannot'),
  size: z.number({ error: 'size must be a number' }).int('size must be a whole number').min(0, 'size cannot be negative'),
});

export function formatOfName(name: string): FileFormat | null {
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(name)) return 'jsonl';
  if (/\.json$/i.test(name)) return 'json';
  return null;
}

export async function createImportUpload(actor: Actor, input: z.input<typeof createUploadInput>): Promise<{ id: number; format: FileFormat }> {
  assertCanImport(actor);
  const parsed = createUploadInput.safeParse(input);
  if (!parsed.success) throw InputError.ofZod(parsed.error);
  const { fileName, size } = parsed.data;
  const format = formatOfName(fileName);
  if (!format) throw InputError.of('file', `${fileName}: choose a .json, .jsonl or .csv file`);
  if (size === 0) throw InputError.of('file', `${fileName} is empty (0 bytes): there is nothing to import`);
  const max = maxUploadBytes();
  if (size > max)
    throw new PayloadTooLargeError(
      `${fileName} is ${formatMegabytes(size)}; the browser import takes files up to ${formatMegabytes(max)}. Split it, or import it with npm run import.`,
    );
  // Uploads left behind (a closed tab, an import never started) go with their bytes.
  await db().importUpload.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - UPLOAD_TTL_HOURS * 3600_000) } } });
  const upload = await db().importUpload.create({ data: { createdById: actor.id, fileName, format, declaredBytes: size }, select: { id: true } });
  return { id: upload.id, format };
}
