// Object ids shaped like OpenAI's (`file-…`, `ftjob-…`): a prefix and random base62 text.
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomBase62(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  // 62 does not divide 256: reject the top bytes so every character is equally likely.
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    if (bytes[i] < 248) out += ALPHABET[bytes[i] % 62];
  }
  return out.length === length ? out : out + randomBase62(length - out.length);
}

export const newFileId = () => `file-${randomBase62(22)}`;
export const newJobId = () => `ftjob-${randomBase62(24)}`;
export const newEventId = () => `ftevent-${randomBase62(24)}`;
export const newCheckpointId = () => `ftckpt_${randomBase62(24)}`;
export const newCompletionId = () => `chatcmpl-${randomBase62(29)}`;
export const newRequestId = () => `req_${randomBase62(32)}`;

export const newUploadId = () => `upload_${randomBase62(24)}`;
export const newPartId = () => `part_${randomBase62(24)}`;

export const nowSeconds = () => Math.floor(Date.now() / 1000);
