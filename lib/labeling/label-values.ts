import { z } from 'zod';

export const LABEL_VALUES = ['END', 'CONTINUE', 'SCHEDULE'] as const;
export const labelValueSchema = z.enum(LABEL_VALUES);
export type LabelValueName = z.infer<typeof labelValueSchema>;
