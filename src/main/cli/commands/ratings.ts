/** `loopdeck ratings`: the rating ladder of a run, strongest first, with intervals and accuracy. */
import { fitRunRatings, ratingsProjection } from '../../../shared/runRatings';
import { RunManager } from '../../orchestrator/service/runManager';
import { EXIT_OK } from '../exitCodes';

export async function ratingsCommand(name: string, options: { runsDir: string; json?: boolean }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  // Every player of the run, not a window's bounded share.
  const { state: run, summary } = await manager.view(name);
  const projection = ratingsProjection(fitRunRatings(run.rated), summary.updated_at);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(projection, null, 2)}\n`);
    return EXIT_OK;
  }
  if (projection.players.length === 0) {
    process.stdout.write(
      projection.disconnected.length
        ? `no ratings: ${projection.disconnected.join(', ')} have no chain of games to the random player\n`
        : `no rated games in run "${name}" yet: ratings come with its first evaluation\n`,
    );
    return EXIT_OK;
  }
  const best = run.best?.iteration;
  const accuracy = new Map(run.evaluations.filter((e) => e.accuracy).map((e) => [e.iteration, e.accuracy!.rate]));
  const rows = [...projection.players].sort((a, b) => b.elo - a.elo);
  const lines = [`ratings of run "${name}": Bradley-Terry over ${projection.games} games, Elo with 95% intervals, random = 0, first-move advantage ${projection.first_move_elo} Elo`];
  lines.push(`  ${'player'.padEnd(14)} ${'Elo'.padStart(6)}  ${'95% interval'.padEnd(15)} ${'games'.padStart(6)}  accuracy`);
  for (const p of rows) {
    const label = `${p.id}${p.iteration !== undefined && p.iteration === best ? ' *' : ''}`;
    const acc = p.iteration !== undefined && accuracy.has(p.iteration) ? `${(accuracy.get(p.iteration)! * 100).toFixed(1)}%` : '';
    lines.push(`  ${label.padEnd(14)} ${String(Math.round(p.elo)).padStart(6)}  ${`${Math.round(p.elo_low)} to ${Math.round(p.elo_high)}`.padEnd(15)} ${String(p.games).padStart(6)}  ${acc}`);
  }
  if (best !== undefined) lines.push('  * the best model');
  if (projection.disconnected.length) lines.push(`not rated (no chain of games to random): ${projection.disconnected.join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
