// Accounts the e2e runner creates before the browser tests start.
export const E2E_PASSWORD = 'e2e-password-1';
export const ACCOUNTS = {
  admin: { email: 'admin@e2e.test', role: 'admin', name: 'Ada Admin' },
  lead: { email: 'lead@e2e.test', role: 'ml_lead', name: 'Lee Lead' },
  reviewer: { email: 'reviewer@e2e.test', role: 'reviewer', name: 'Rita Reviewer' },
  reviewer2: { email: 'reviewer2@e2e.test', role: 'reviewer', name: 'Rob Reviewer' },
  // e2e/labeling-queue.spec.ts: a third reviewer for the work queue's races.
  reviewer3: { email: 'reviewer3@e2e.test', role: 'reviewer', name: 'Ria Reviewer' },
  // Only e2e/auth-security.spec.ts uses these: one gets locked out, one changes its password.
  locked: { email: 'locked@e2e.test', role: 'reviewer', name: 'Lou Locked' },
  changer: { email: 'changer@e2e.test', role: 'reviewer', name: 'Cam Changer' },
} as const;
export type AccountName = keyof typeof ACCOUNTS;
