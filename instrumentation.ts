// Runs once when the server starts: open and migrate the store, say how ingest is protected, and
// start retention.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startPerch } = await import('./lib/server/start');
  startPerch();
}
