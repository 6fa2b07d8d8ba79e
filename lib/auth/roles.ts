import { z } from 'zod';

export const ROLES = ['reviewer', 'ml_lead', 'admin'] as const;
export const roleSchema = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });
export type Role = z.infer<typeof roleSchema>;

export const ROLE_NAMES: Record<Role, string> = {
  reviewer: 'Reviewer',
  ml_lead: 'ML lead',
  admin: 'Admin',
};
