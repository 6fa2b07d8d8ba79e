// Provider keys at rest: AES-256-GCM with a key derived (HKDF-SHA256) from the session secret
// (BETTER_AUTH_SECRET, created once under .data/ by ensureAuthSecret). The row's purpose is
// bound in as associated data, so a ciphertext copied to another row does not decrypt.
// Sealed form: "v1.<iv>.<tag>.<ciphertext>", each part base64url.
import crypto from 'node:crypto';
import { ensureAuthSecret } from '../auth/secret';

const VERSION = 'v1';
const SALT = 'exit-advisor-studio/secret-box';

function key(): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', ensureAuthSecret(), SALT, `provider-keys:${VERSION}`, 32));
}

export function sealSecret(plain: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(), iv);
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/** Throws when the text was not sealed with this secret and context (or was altered). */
export function openSecret(sealed: string, context: string): string {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('not a sealed secret');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * What a page may show of a key: a few of its first characters ("sk-loca…"), at most a
 * fifth of it, so an admin can tell which key is stored; never its end. Short keys: nothing.
 */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return '…';
  return `${secret.slice(0, Math.min(7, Math.floor(secret.length / 5)))}…`;
}
