// SIGINT / SIGTERM stop the servers this process started (a terminal's Ctrl-C reaches the
// server anyway; a SIGTERM to a CLI alone would otherwise leave it running). Processes with
// their own handlers (npm start, the worker) keep their say over how and when to exit.
interface Stoppable {
  stop(): Promise<void>;
}

const owned = new Set<Stoppable>();
const onSignal = (signal: NodeJS.Signals) => {
  void Promise.all([...owned].map((s) => s.stop())).finally(() => {
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
};
const signalHandlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };

export function registerSignalStop(server: Stoppable) {
  if (owned.size === 0) for (const [sig, fn] of Object.entries(signalHandlers)) process.once(sig, fn);
  owned.add(server);
}

export function unregisterSignalStop(server: Stoppable) {
  owned.delete(server);
  if (owned.size === 0) for (const [sig, fn] of Object.entries(signalHandlers)) process.removeListener(sig, fn);
}
