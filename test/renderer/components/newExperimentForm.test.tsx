// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { groupedRows } from '../../../src/renderer/components/ExperimentChart';
import { NewExperimentForm } from '../../../src/renderer/components/NewExperimentForm';
import { connectStore, resetStore } from '../../../src/renderer/store';
import { fakeClient } from '../fakeClient';

let disconnect: () => void = () => {};
afterEach(() => {
  disconnect();
  resetStore();
  cleanup();
});

it('says how many runs and how much machine time an experiment asks for, refuses a bad grid before sending, and starts it', async () => {
  const fake = fakeClient();
  disconnect = connectStore(fake.client);
  let started = '';
  render(<NewExperimentForm onStarted={(name) => (started = name)} onCancel={() => {}} />);
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Experiment name'), 'lr');
  const size = screen.getByRole('status', { name: 'Experiment size' });
  expect(size).toHaveTextContent('2 cells x 2 seeds = 4 runs (equal time: 10 minutes a run): 40 machine-minutes, about 40 minutes with 1 at a time.');
  await user.clear(screen.getByLabelText('Runs at a time'));
  await user.type(screen.getByLabelText('Runs at a time'), '2');
  expect(size).toHaveTextContent('about 20 minutes with 2 at a time');

  await user.type(screen.getByLabelText('Other base settings'), 'episodesPerIteration 40');
  expect(screen.getByRole('alert')).toHaveTextContent('Other base settings, line 1: write "setting = value"');
  expect(screen.getByRole('button', { name: 'Start experiment' })).toBeDisabled();
  await user.clear(screen.getByLabelText('Other base settings'));
  await user.type(screen.getByLabelText('Other base settings'), 'episodesPerIteration = 40');
  await user.clear(screen.getByLabelText('Values of setting 1'));
  await user.type(screen.getByLabelText('Values of setting 1'), '0.002, -1');
  expect(screen.getByRole('alert')).toHaveTextContent(/cell 2 \(learningRate -1\)/);
  await user.clear(screen.getByLabelText('Values of setting 1'));
  await user.type(screen.getByLabelText('Values of setting 1'), '0.002, 0.001');

  await user.click(screen.getByRole('button', { name: 'Start experiment' }));
  await waitFor(() => expect(started).toBe('lr'));
  const call = fake.calls.find((c) => c[0] === 'startExperiment')!;
  expect(call[1]).toEqual({
    name: 'lr',
    seeds: 2,
    parallel: 2,
    base: { episodesPerIteration: 40, game: 'tictactoe', timeBudgetMinutes: 10, iterations: 1000 },
    grid: { learningRate: [0.002, 0.001] },
  });
});

it("groups a cell's seeds at each point of the axis: each run's latest value, their mean and 95% band", () => {
  const rows = groupedRows([
    {
      cell: 1,
      label: 'base',
      runs: [
        [
          { x: 0, y: 100 },
          { x: 10, y: 200 },
        ],
        [
          { x: 0, y: 120 },
          { x: 10, y: 240 },
        ],
      ],
    },
    { cell: 2, label: 'other', runs: [[{ x: 5, y: 50 }]] },
  ]);
  expect(rows[0]).toMatchObject({ x: 0, mean1: 110 });
  expect(rows[0]!.mean2).toBeUndefined();
  const last = rows.at(-1)!;
  expect(last).toMatchObject({ x: 10, mean1: 220, mean2: 50 });
  const [low, high] = last.band1 as [number, number];
  expect(low).toBeLessThan(220);
  expect(high).toBeGreaterThan(220);
  // One run gives a mean and no band.
  expect(last.band2).toBeUndefined();
  // A share's band stays within [0, 1].
  const shares = groupedRows([{ cell: 1, label: 'a', runs: [[{ x: 1, y: 0.99 }], [{ x: 1, y: 0.7 }]] }], [0, 1]);
  expect((shares[0]!.band1 as [number, number])[1]).toBe(1);
});
