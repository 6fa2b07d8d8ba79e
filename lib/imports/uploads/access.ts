// Who may import in the browser: admins and ML leads; each sees the uploads they made, and an
// admin sees everyone's.
import { assertRole, type Actor } from '../../auth/session';
import { db } from '../../db';
import { NotFoundError } from '../../errors';

export const IMPORT_ROLES = ['admin', 'ml_lead'] as const;

export function assertCanImport(actor: Actor): void {
  assertRole(actor, ...IMPORT_ROLES);
}

/** The upload, if the actor may see it; a NotFoundError otherwise (no hint that it exists). */
export async function uploadOf(actor: Actor, id: number) {
  assertCanImport(actor);
  const upload = await db().importUpload.findUnique({ where: { id } });
  if (!upload || (upload.createdById !== actor.id && actor.role !== 'admin')) throw new NotFoundError(`Upload ${id} does not exist.`);
  return upload;
}
