import { startEmbedded } from '../../pipeline/db/embedded.ts';
import { loadWorkspace } from '../../pipeline/runtime/workspace.ts';

/**
 * The embedded server's own start, timed apart from any command (#18: "server cold <= 1.5x warm +
 * the server's own start"): the workspace's server is started as the CLI starts it (startEmbedded on
 * the workspace's folder, pipeline/db/connect.ts openDatabase) and timed inside this process, so
 * Node's start and loading the code are not in the figure; then stopped at once (idle time 0), so
 * the cold command timed after it starts it again. Prints one JSON line: {startMs, stopMs}.
 */
const silent = { info() {}, warn() {}, error() {} };
const workspace = loadWorkspace(process.argv[2]!);
const t0 = performance.now();
const server = await startEmbedded(workspace.embeddedDir, silent, { workspaceDir: workspace.dir, idleSeconds: 0 });
const startMs = performance.now() - t0;
const t1 = performance.now();
await server.stop();
process.stdout.write(`${JSON.stringify({ startMs, stopMs: performance.now() - t1 })}\n`);
