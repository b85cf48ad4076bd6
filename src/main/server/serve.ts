export async function serveFromCli(_options: { host: string; port: number; runsDir: string }): Promise<number> {
  throw new Error('serve: not built yet');
}
