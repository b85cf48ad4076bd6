// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { ExperimentTable } from '../../../src/renderer/components/ExperimentTable';
import { fitRunRatings } from '../../../src/shared/runRatings';
import type { RunState } from '../../../src/shared/runState';
import type { RunSummary } from '../../../src/shared/stats';
import { bestAgainstRandom, snapshot } from '../fakeClient';

afterEach(cleanup);

/** A run of the experiment whose best model (iteration 1) won `wins` of 20 games against random. */
function member(name: string, cell: number, seed: number, wins: number): { summary: RunSummary; state: RunState } {
  const { summary, state } = snapshot(name, 2, 'completed');
  const games = bestAgainstRandom(wins);
  const experiment = { name: 'exp', cell, label: cell === 1 ? 'learningRate 0.002' : 'learningRate 0.001', seed_index: seed };
  return { summary: { ...summary, experiment }, state: { ...state, rated: [games], experiment } };
}

it("compares an experiment's cells with the base across seeds, from the runs' states", () => {
  const members = [member('exp-c1-s1', 1, 1, 10), member('exp-c1-s2', 1, 2, 12), member('exp-c2-s1', 2, 1, 18), member('exp-c2-s2', 2, 2, 18)];
  const loaded = Object.fromEntries(members.map((m) => [m.summary.name, { state: m.state, fit: fitRunRatings(m.state.rated) }]));
  render(<ExperimentTable name="exp" runs={[...members.map((m) => m.summary), snapshot('other').summary]} loaded={loaded} />);
  const rows = within(screen.getByRole('table', { name: 'Cells of exp' }))
    .getAllByRole('row')
    .slice(1);
  expect(rows).toHaveLength(2);
  expect(
    within(rows[0]!)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  ).toEqual(expect.arrayContaining(['1', 'learningRate 0.002', '2/2', 'base']));
  const [, label, runs, elo, , , vsBase] = within(rows[1]!)
    .getAllByRole('cell')
    .map((c) => c.textContent);
  expect([label, runs]).toEqual(['learningRate 0.001', '2/2']);
  // 18 of 20 against random in both seeds: a mean with an interval, and a difference from the base's 10 and 12 of 20.
  expect(elo).toMatch(/^\d+ \[\d+, \d+\]$/);
  expect(vsBase).toMatch(/^\+\d+ \[-?\d+, \d+\] (more than|within) seed noise$/);
});
