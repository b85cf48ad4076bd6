/** `loopdeck serve` from the command line: a RunManager behind the HTTP/WebSocket server until a signal. */
import { RunManager } from '../orchestrator/runManager';
import { startServer } from './server';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function serveFromCli(options: { host: string; port: number; runsDir: string }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'web' });
  const server = await startServer({ api: manager, host: options.host, port: options.port });
  process.stdout.write(`Loopdeck is serving at ${server.url}\n`);
  if (!LOOPBACK.has(options.host))
    process.stderr.write(`warning: listening on ${options.host}, not loopback: anyone who can reach this address and has the token can control runs\n`);
  process.stderr.write(`runs folder: ${options.runsDir}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`${signal}: stopping active runs gracefully\n`);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await manager.shutdown();
  await server.close();
  return 0;
}
