// One colour per label across every chart, matching the labeling buttons (Tailwind rose /
// sky / emerald 500), so END reads as END everywhere.
export const LABEL_COLORS = {
  END: '#f43f5e',
  CONTINUE: '#0ea5e9',
  SCHEDULE: '#10b981',
  invalid: '#94a3b8',
} as const;
