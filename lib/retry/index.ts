export { backoffDelay, type BackoffPolicy } from './backoff';
export { decideRetry, formatDuration, type FailureStreak, type RetryDecision } from './budget';
export { retryAfterMs, retryAfterOfError } from './retry-after';
export { connectionCause, isTransientStatus } from './transient';
export { abortableSleep } from './abortable-sleep';
