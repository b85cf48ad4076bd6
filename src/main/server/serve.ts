/** `loopdeck serve` from the command line: a RunManager behind the HTTP/WebSocket server until a signal. */
import { resolve } from 'node:path';
import { RunManager } from '../orchestrator/service/runManager';
import { isLoopback } from './auth';
import { startServer } from './server';

export interface ServeOptions {
  host: string;
  port: number;
  runsDir: string;
  /** Let web clients set the actor/trainer/arena commands: the token then grants code execution. */
  allowCommands: boolean;
}

/**
 * A bug reached from a request must not end the runs this process drives: log
 * it and keep going while any run is active; with none active, exit as Node would.
 */
function keepRunsAlive(manager: RunManager): void {
  const lastResort = (kind: string) => (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`loopdeck serve: ${kind}: ${text}\n`);
    if (manager.activeRuns.length === 0) process.exit(70);
    process.stderr.write(`loopdeck serve: kept running for the active runs (${manager.activeRuns.join(', ')})\n`);
  };
  process.on('uncaughtException', lastResort('uncaught exception'));
  process.on('unhandledRejection', lastResort('unhandled rejection'));
}

export async function serveFromCli(options: ServeOptions): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'web', allowCommands: options.allowCommands });
  keepRunsAlive(manager);
  const server = await startServer({ api: manager, host: options.host, port: options.port, namedPaths: [{ path: resolve(options.runsDir), label: 'the runs folder' }] });
  process.stdout.write(`Loopdeck is serving at ${server.url}\n`);
  if (!isLoopback(options.host))
    process.stderr.write(
      `warning: listening on ${options.host}, not loopback: anyone who can reach this address and has the token can control runs, ` +
        'and the traffic (token included) is cleartext HTTP; prefer loopback with an SSH tunnel (docs/security.md)\n',
    );
  if (options.allowCommands) process.stderr.write('warning: --allow-commands: web clients may set the commands a run executes, so the token grants code execution as this user\n');
  process.stderr.write(`runs folder: ${options.runsDir}\n`);
  await new Promise<void>((resolvePromise) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`${signal}: stopping active runs gracefully\n`);
      resolvePromise();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await manager.shutdown();
  await server.close();
  return 0;
}
