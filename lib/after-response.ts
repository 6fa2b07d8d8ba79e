// "Run this once the answer has gone out", as a value a transport hands to domain code: Next's
// after() only works inside a Next request, and the web process also answers the decision API
// outside Next's router (lib/boundary/node-route.ts), where the node response's 'finish' says it.

/** Runs a task once the response has been sent. */
export type AfterResponse = (task: () => void) => void;

/** Where no transport can say when the answer went out (tests, CLIs): after the current call stack. */
export const afterCurrentStack: AfterResponse = (task) => void setImmediate(task);
