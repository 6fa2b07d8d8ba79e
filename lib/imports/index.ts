export {
  importConversationsFile,
  importConversationsInTransaction,
  ImportSourceConflictError,
  importReviewerEmail,
  ImportValidationError,
  type ImportSummary,
} from './import-conversations';
export { formatIssue } from './validate-file';
export { fileSource, type ImportSource } from './import-source';
export { CSV_FIELDS, parseCsvMapText, suggestCsvMapping, type CsvField, type CsvMapping } from './csv-mapping';
export type { ImportIssue } from './validate-file';
