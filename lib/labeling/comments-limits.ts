// Shared with the browser (the comment box counts against it); lib/labeling/comments.ts enforces it.
export const COMMENT_MAX_CHARS = 1000;
