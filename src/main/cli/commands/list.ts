/** `loopdeck list`: every run of the folder, newest first, as a table or JSON. */
import { summaryProgress } from '../../../shared/runLimits';
import { RunManager } from '../../orchestrator/service/runManager';
import { EXIT_OK } from '../exitCodes';

export async function listCommand(options: { runsDir: string; json?: boolean }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  const runs = await manager.listRuns();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return EXIT_OK;
  }
  if (runs.length === 0) {
    process.stdout.write(`no runs in ${options.runsDir}\n`);
    return EXIT_OK;
  }
  const rows = runs.map((r) => [
    r.name,
    r.game,
    r.status,
    summaryProgress(r),
    r.best_iteration === null ? '-' : String(r.best_iteration),
    r.updated_at ? r.updated_at.replace('T', ' ').slice(0, 19) : '-',
    r.parent ? `${r.parent.run}@${r.parent.iteration}` : '',
  ]);
  const header = ['run', 'game', 'state', 'progress', 'best', 'last activity (UTC)', 'branched from'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows])
    process.stdout.write(
      `${row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  return EXIT_OK;
}
