/**
 * Under plain `next start` / `next dev` (no server.ts) this builds the node's runtime before the
 * first request: config, database, migrations, first-start seeding, bus, hub, commit publishing
 * and the kitchen watch (lib/process-runtime.ts). Inside server.ts it finds server.ts's runtime
 * already in the process slot (lib/process.ts) and starts nothing.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startProcessRuntime } = await import("./lib/process-runtime");
  await startProcessRuntime();
}
