// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { Dashboard } from '../../../src/renderer/components/Dashboard';
import { withRecords } from '../../../src/renderer/components/IterationLookup';
import { EMPTY_FIT } from '../../../src/shared/ratingFitter';
import { connectStore, openRun, resetStore } from '../../../src/renderer/store';
import { evalRecord, fakeClient, iterationStats, snapshot } from '../fakeClient';

let disconnect: () => void = () => {};
afterEach(() => {
  disconnect();
  resetStore();
  cleanup();
});

it("a long run's models table says what its bounded history shows, and brings other iterations in on demand", async () => {
  // The window gets the bounded share of 1,500 iterations (as getRun answers), and asks for the rest.
  const held = snapshot('long', 1_500);
  const fake = fakeClient({ long: held });
  const asked: [number, number][] = [];
  fake.client.getIterations = async (_name, from, to) => {
    asked.push([from, to]);
    const range = Array.from({ length: to - from + 1 }, (_, k) => from + k);
    return { iterations: range.map((i) => iterationStats(i)), evaluations: range.map((i) => evalRecord(i, 0.6)), ratings: [] };
  };
  disconnect = connectStore(fake.client);
  await openRun('long');
  render(<Dashboard onBack={() => {}} onBranched={() => {}} />);
  const note = screen.getByRole('note', { name: 'History held' });
  expect(note).toHaveTextContent(`Showing ${held.state.iterations.length} of 1,500 iterations: one in 4, the last 200, and the best models'.`);
  // (jsdom lays out no rows of the virtualized table: e2e/longRun.spec.ts sees them in Chromium.)

  const user = userEvent.setup();
  await user.type(screen.getByRole('spinbutton', { name: 'From iteration' }), '3');
  await user.type(screen.getByRole('spinbutton', { name: 'To iteration' }), '7');
  await user.click(screen.getByRole('button', { name: 'Show' }));
  await waitFor(() => expect(screen.getByRole('button', { name: /Hide iterations 3 to 7: 5 found/ })).toBeInTheDocument());
  expect(asked).toEqual([[3, 7]]);

  // A range the API would refuse is named before it is sent.
  await user.clear(screen.getByRole('spinbutton', { name: 'To iteration' }));
  await user.type(screen.getByRole('spinbutton', { name: 'To iteration' }), '900');
  await user.click(screen.getByRole('button', { name: 'Show' }));
  expect(within(screen.getByRole('form', { name: 'Look up iterations' })).getByRole('alert')).toHaveTextContent('at most 500 at a time');
  expect(asked).toHaveLength(1);
  await user.click(screen.getByRole('button', { name: /Hide iterations 3 to 7/ }));
  expect(screen.queryByRole('button', { name: /Hide/ })).toBeNull();
});

it("merges the iterations asked for into the window's, in order, with their ratings beside the fit's", () => {
  const fit = { ...EMPTY_FIT, players: [{ id: 'iter-0004', elo: 40, elo_low: 30, elo_high: 50, sigma: 5, games: 10 }] };
  const asked = { iterations: [iterationStats(2), iterationStats(4)], evaluations: [evalRecord(2, 0.5)], ratings: [{ id: 'iter-0002', elo: 20, elo_low: 10, elo_high: 30, sigma: 5, games: 10 }] };
  const merged = withRecords([iterationStats(1), iterationStats(4), iterationStats(8)], [evalRecord(1, 0.5)], fit, asked);
  expect(merged.iterations.map((s) => s.iteration)).toEqual([1, 2, 4, 8]);
  expect(merged.evaluations.map((e) => e.iteration)).toEqual([1, 2]);
  expect(merged.fit.players.map((p) => p.id)).toEqual(['iter-0004', 'iter-0002']);
  expect(withRecords([iterationStats(1)], [], fit, null).fit).toBe(fit);
});
