// The advisor's three decisions (DESIGN.md §1).
export type Label = 'END' | 'CONTINUE' | 'SCHEDULE';
export const LABELS: readonly Label[] = ['END', 'CONTINUE', 'SCHEDULE'];
