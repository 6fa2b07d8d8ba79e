export { importConversationsFile, importReviewerEmail, ImportValidationError, type ImportSummary } from './import-conversations';
export { formatIssue } from './validate-file';
