/** `loopdeck status`: a run's state, last iterations, win rates, best model with its rating and accuracy, and the gate's record. */
import { bestProgress, bestProgressText } from '../../../shared/bestProgress';
import { modelPlayerId } from '../../../shared/players';
import { summaryProgress } from '../../../shared/runLimits';
import { fromPortable } from '../../../shared/ratingFitter';
import { RunManager } from '../../orchestrator/service/runManager';
import { formatDuration } from '../cliProgress';
import { EXIT_OK } from '../exitCodes';

export async function statusCommand(name: string, options: { runsDir: string; json?: boolean }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  const snapshot = await manager.getRun(name);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
    return EXIT_OK;
  }
  const { summary: s, state: run } = snapshot;
  const fit = fromPortable(snapshot.ratings);
  const bestRating = run.best ? fit.players.find((p) => p.id === modelPlayerId(run.best!.iteration)) : undefined;
  const bestAccuracy = run.best ? run.evaluations.find((e) => e.iteration === run.best!.iteration)?.accuracy : undefined;
  const strength = [
    bestRating ? `rating ${Math.round(bestRating.elo)} Elo (95%: ${Math.round(bestRating.elo_low)} to ${Math.round(bestRating.elo_high)}; random = 0)` : null,
    bestAccuracy ? `accuracy ${(bestAccuracy.rate * 100).toFixed(1)}% of ${bestAccuracy.positions} ${bestAccuracy.set} positions` : null,
  ].filter(Boolean);
  const lines = [
    `run ${s.name} (${s.game}): ${s.status}, ${summaryProgress(s)}`,
    `best model: ${run.best ? `iteration ${run.best.iteration} (${run.best.reason} by ${run.best.by} at ${run.best.promoted_at})${strength.length ? `; ${strength.join(', ')}` : ''}` : 'none yet'}`,
  ];
  const gate = bestProgressText(bestProgress(run.evaluations, fit, run.omitted));
  if (gate) lines.push(`gate: ${gate}`);
  for (const it of run.iterations.slice(-10)) {
    const ev = run.evaluations.find((e) => e.iteration === it.iteration);
    lines.push(
      `  iter ${String(it.iteration).padStart(4)}  ${formatDuration(it.total_time).padStart(7)}  loss ${it.final_loss?.toFixed(3) ?? '--'}  vs best ${ev?.vs_champion ? ev.vs_champion.score.toFixed(2) : '--'}  vs random ${ev?.vs_random ? ev.vs_random.win_rate.toFixed(2) : '--'}${it.promoted ? '  promoted' : ''}`,
    );
  }
  if (run.error) lines.push(`last error: ${run.error.message}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
