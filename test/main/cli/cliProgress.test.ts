import { describe, expect, it } from 'vitest';
import { CliProgress } from '../../../src/main/cli/cliProgress';
import type { RunEvent } from '../../../src/shared/events';
import type { PhaseName } from '../../../src/shared/stats';

const base = { run: 'r', time: '2026-01-01T00:00:00.000Z' };
const progress = (iteration: number, phase: PhaseName, done: number, total: number): RunEvent => ({
  ...base,
  type: 'phase.progress',
  progress: { iteration, phase, done, total, eta_seconds: 5, rates: phase === 'selfplay' ? { games_per_sec: 50 } : { samples_per_sec: 90_000 } },
});

function terminal() {
  let screen = '';
  const write = (s: string) => {
    screen += s;
    return true;
  };
  const out = { isTTY: true, columns: 200, write };
  return { out, line: () => screen.slice(screen.lastIndexOf('\r') + 1).replace('\x1b[2K', '') };
}

describe('CLI status line', () => {
  it("shows each phase under way, short enough for a terminal while the next iteration's self-play overlaps", () => {
    const term = terminal();
    const cli = new CliProgress(term.out, () => ({ iterations: 1000, timeBudgetMinutes: 60 }), 12.5);
    cli.handle(progress(7, 'selfplay', 500, 2000));
    expect(term.line()).toMatch(/^iter 7 \(12\.5\/60 min\) self-play .* 500\/2000 ETA 0:05 50\.0 games\/s \| vs best -- vs random -- \| best --$/);
    cli.handle(progress(8, 'selfplay', 100, 2000));
    cli.handle({ ...base, type: 'phase.completed', iteration: 7, phase: 'selfplay', seconds: 30 });
    cli.handle(progress(7, 'train', 200, 400));
    expect(term.line()).toBe('iter 7 training 50% ETA 0:05 · iter 8 self-play 5% ETA 0:05 (12.5/60 min) | vs best -- vs random -- | best --');
    // Two phases fit 120 columns (one phase alone already took 121).
    expect(term.line().length).toBeLessThan(120);
  });
});
