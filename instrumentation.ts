// Runs once when a server process starts; the checks live in a Node-only module.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { refuseToStartWithoutSecret } = await import('./lib/auth/startup-check');
    await refuseToStartWithoutSecret();
  }
}
