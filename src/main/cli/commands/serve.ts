/** `loopdeck serve`: the dashboard and the control API over HTTP and WebSocket. */
import { UsageError } from '../exitCodes';

export async function serveCommand(options: { host: string; port: string; runsDir: string; allowCommands?: boolean }): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number from 0 to 65535 (got "${options.port}")`);
  const { serveFromCli } = await import('../../server/serve');
  return serveFromCli({ host: options.host, port, runsDir: options.runsDir, allowCommands: options.allowCommands === true });
}
