// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { gridKeys, ParallelCoordinates } from '../../../src/renderer/components/ParallelCoordinates';
import { fitRunRatings } from '../../../src/shared/runRatings';
import { bestAgainstRandom, snapshot } from '../fakeClient';

afterEach(cleanup);

/** A run of cell `cell` whose best model (iteration 1) won `wins` of 20 games against random. */
function member(cell: number, seed: number, settings: { learningRate: number; replayWindow: number; selfplayModel: string }, wins: number) {
  const name = `g-c${cell}-s${seed}`;
  const { state } = snapshot(name, 2, 'completed');
  const games = bestAgainstRandom(wins);
  const label = `learningRate ${settings.learningRate}, replayWindow ${settings.replayWindow}, selfplayModel "${settings.selfplayModel}"`;
  const withSettings = { ...state, config: { ...state.config!, ...settings } as typeof state.config, rated: [games] };
  return { run: name, experiment: { name: 'g', cell, label, seed_index: seed }, rated: { state: withSettings, fit: fitRunRatings([games]) } };
}

it("draws each run's settings and its best model's rating as one line across an axis per setting", () => {
  const runs = [
    member(1, 1, { learningRate: 0.002, replayWindow: 16, selfplayModel: 'best' }, 12),
    member(1, 2, { learningRate: 0.002, replayWindow: 16, selfplayModel: 'best' }, 14),
    member(2, 1, { learningRate: 0.001, replayWindow: 4, selfplayModel: 'latest' }, 18),
    member(2, 2, { learningRate: 0.001, replayWindow: 4, selfplayModel: 'latest' }, 16),
  ];
  expect(gridKeys(runs[0]!.experiment)).toEqual(['learningRate', 'replayWindow', 'selfplayModel']);
  render(<ParallelCoordinates name="g" runs={runs} />);
  const figure = screen.getByRole('img', { name: "g: settings against the best model's rating" });
  const lines = figure.querySelectorAll('polyline');
  expect(lines).toHaveLength(4);
  for (const axis of ['learningRate', 'replayWindow', 'selfplayModel', 'best Elo']) expect(figure).toHaveTextContent(axis);
  // The strongest run's line ends highest (smallest y) on the rating axis.
  const lastY = (line: Element) => Number(line.getAttribute('points')!.split(' ').at(-1)!.split(',')[1]);
  const byRun: Record<string, number> = Object.fromEntries([...lines].map((l) => [l.getAttribute('data-run') ?? '', lastY(l)]));
  expect(Math.min(...Object.values(byRun))).toBe(byRun['g-c2-s1']);
  // Runs of one cell share their settings: the same first three points.
  const head = (run: string) =>
    [...lines]
      .find((l) => l.getAttribute('data-run') === run)!
      .getAttribute('points')!
      .split(' ')
      .slice(0, 3)
      .join(' ');
  expect(head('g-c1-s1')).toBe(head('g-c1-s2'));
  expect(head('g-c1-s1')).not.toBe(head('g-c2-s1'));
});
