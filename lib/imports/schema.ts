// The interchange format of ../shared/formats/conversations.schema.json, as zod schemas.
// `.strict()` mirrors the JSON schema's additionalProperties: false. Strings are also
// checked for bytes PostgreSQL cannot store (./text-checks.ts, run by the validator on
// every string of a conversation) and times for a sane range (./timestamps.ts).
import { z } from 'zod';
import { LABEL_VALUES } from '../labeling/label-values';
import { sentAtSchema } from './timestamps';

export const importMessageSchema = z
  .object({
    sender: z.enum(['recruiter', 'candidate'], { error: 'sender must be "recruiter" or "candidate"' }),
    text: z
      .string({ error: 'text must be a string' })
      .max(5000, 'text is longer than 5,000 characters')
      .refine((t) => t.trim().length > 0, 'text is empty'),
    sent_at: sentAtSchema.optional(),
    label: z.enum(LABEL_VALUES, { error: 'label must be END, CONTINUE or SCHEDULE' }).optional(),
  })
  .strict()
  // Checked even when another field of the message is wrong (`when`), so one run reports a bad
  // time and a label on a candidate row of the same message together.
  .refine((m) => !(m.label !== undefined && m.sender === 'candidate'), {
    path: ['label'],
    message: 'a label is only allowed on recruiter messages',
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });

export const importConversationSchema = z
  .object({
    external_id: z.string({ error: 'external_id must be a string' }).min(1, 'external_id is empty').max(200, 'external_id is longer than 200 characters'),
    candidate_name: z.string().max(200, 'candidate_name is longer than 200 characters').optional(),
    job_title: z.string().max(200, 'job_title is longer than 200 characters').optional(),
    messages: z.array(importMessageSchema, { error: 'messages must be an array' }).min(1, 'messages is empty: a conversation needs at least one message'),
  })
  .strict();

export type ImportMessage = z.infer<typeof importMessageSchema>;
export type ImportConversation = z.infer<typeof importConversationSchema>;
