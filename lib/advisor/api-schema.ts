// The decision API's request and response, as zod schemas. The route validates with them, the
// tests check responses against them and the OpenAPI document is generated from them, so the
// three cannot drift apart.
import { z } from 'zod';
import { importConversationSchema } from '../imports/schema';
import { LABEL_VALUES } from '../labeling/label-values';

export const decisionRequestSchema = z
  .object({
    conversation: importConversationSchema.describe('One conversation of the import format, up to the last message sent. Labels are ignored.'),
  })
  .strict();
export type DecisionRequest = z.infer<typeof decisionRequestSchema>;

export const FALLBACK_REASONS = ['advisor_unavailable', 'invalid_answer'] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

export const decisionResponseSchema = z
  .object({
    decision: z.enum(LABEL_VALUES).nullable().describe("What the recruiter's next turn should do; null when the advisor could not decide (see reason)."),
    confidence: z.number().min(0).max(1).nullable().describe("The model's probability for its decision; null when it gave none."),
    acted: z.boolean().describe('confidence ≥ threshold: follow the decision only when true; otherwise carry on as if the advisor had deferred.'),
    threshold: z.number().min(0).max(1),
    model: z.string(),
    promotion: z.number().int().describe('The promotion (advisor version) that answered.'),
    decision_id: z.number().int().describe('The logged decision.'),
    reason: z.enum(FALLBACK_REASONS).optional().describe('Present when decision is null: advisor_unavailable (timeout or provider failure) or invalid_answer.'),
  })
  .strict();
export type DecisionResponse = z.infer<typeof decisionResponseSchema>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() }).strict()).optional(),
  })
  .strict();
