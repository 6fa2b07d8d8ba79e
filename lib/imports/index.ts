export {
  importConversationsFile,
  importConversationsInTransaction,
  ImportSourceConflictError,
  importReviewerEmail,
  ImportValidationError,
  type ImportSummary,
} from './import-conversations';
export { formatIssue } from './validate-file';
