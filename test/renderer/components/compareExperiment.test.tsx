// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { Compare } from '../../../src/renderer/components/Compare';
import { connectStore, resetStore } from '../../../src/renderer/store';
import { fakeClient } from '../fakeClient';

let disconnect: () => void = () => {};
afterEach(() => {
  disconnect();
  resetStore();
  cleanup();
});

it("names an experiment's failed runs and why, beside its progress", async () => {
  const fake = fakeClient({});
  const status = { name: 'exp', cells: 2, seeds: 2, runs: 4, parallel: 2, compute: 'equal iterations: 3 a run', machine_minutes: null, done: 2, running: false };
  fake.client.listExperiments = async () => [
    {
      ...status,
      failed: [
        { run: 'exp-c1-s2', message: 'exp-c1-s2/events.jsonl does not start with the run' },
        { run: 'exp-c2-s1', message: 'the run failed; its log says why' },
      ],
    },
  ];
  disconnect = connectStore(fake.client);
  render(<Compare experiment="exp" onBack={() => {}} />);
  expect(await screen.findByRole('status', { name: 'Progress of exp' })).toHaveTextContent('Experiment exp: 2 of 4 runs done (2 cells x 2 seeds, 2 at a time, equal iterations: 3 a run)');
  expect(screen.getByRole('alert', { name: 'Failed runs of exp' })).toHaveTextContent(
    '2 runs failed; the others go on: exp-c1-s2 (exp-c1-s2/events.jsonl does not start with the run); exp-c2-s1 (the run failed; its log says why).',
  );
  expect(screen.getByRole('button', { name: 'Resume experiment' })).toBeEnabled();
});
