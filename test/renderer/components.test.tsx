import { keptIterations } from '../../src/shared/history';
import { portableFit } from '../../src/shared/ratingFitter';
import { fitRunRatings } from '../../src/shared/runRatings';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/shared/config/defaults';
import { Dashboard } from '../../src/renderer/components/Dashboard';
import { NewRunForm } from '../../src/renderer/components/NewRunForm';
import { RunsList } from '../../src/renderer/components/RunsList';
import { connectStore, openRun, resetStore, useStore } from '../../src/renderer/store';
import { fakeClient, snapshot } from './fakeClient';

let disconnect: () => void;
afterEach(() => {
  disconnect?.();
  resetStore();
});

describe('New run form', () => {
  it('prefills the chosen game defaults, validates inline like the CLI, and starts the typed config', async () => {
    const fake = fakeClient();
    disconnect = connectStore(fake.client);
    let started = '';
    render(<NewRunForm onStarted={(n) => (started = n)} onCancel={() => {}} />);
    const user = userEvent.setup();
    expect(screen.getByLabelText('Iterations')).toHaveValue(String(defaultConfig('tictactoe').iterations));
    // The game list is the engine's (the bundled one here), asked once typing pauses.
    await screen.findByRole('option', { name: 'Connect Four' });
    expect(fake.calls.find((c) => c[0] === 'engineGames')).toEqual(['engineGames', null]);
    await user.selectOptions(screen.getByLabelText('Game'), 'connect4');
    expect(screen.getByLabelText('Episodes per iteration')).toHaveValue(String(defaultConfig('connect4').episodesPerIteration));

    await user.clear(screen.getByLabelText('Iterations'));
    await user.type(screen.getByLabelText('Iterations'), '0');
    expect(screen.getByRole('alert')).toHaveTextContent('iterations must be a whole number from 1 to 100000 (got "0")');
    expect(screen.getByRole('button', { name: 'Start run' })).toBeDisabled();

    await user.clear(screen.getByLabelText('Iterations'));
    await user.type(screen.getByLabelText('Iterations'), '3');
    await user.clear(screen.getByLabelText('Run name'));
    await user.type(screen.getByLabelText('Run name'), 'mine');
    await user.type(screen.getByLabelText('Trainer command'), 'python3 train.py');
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    await waitFor(() => expect(started).toBe('mine'));
    const config = fake.calls.find((c) => c[0] === 'startRun')![1] as Record<string, unknown>;
    expect(config).toMatchObject({ name: 'mine', game: 'connect4', iterations: '3', trainerCommand: 'python3 train.py', actorCommand: null });
  });
});

describe('Run dashboard', () => {
  it('shows the charts and the models table, and confirms promote and revert before calling the API', async () => {
    const snap = snapshot('r1', 3);
    snap.state.best!.history.push({ ...snap.state.best!, iteration: 2, reason: 'gate' });
    snap.state.best = { ...snap.state.best!, iteration: 2, reason: 'gate' };
    const fake = fakeClient({ r1: snap });
    disconnect = connectStore(fake.client);
    await openRun('r1');
    render(<Dashboard onBack={() => {}} onBranched={() => {}} />);
    const user = userEvent.setup();
    for (const name of ['Win rate', 'Loss', 'Throughput']) expect(screen.getByRole('img', { name })).toBeInTheDocument();
    const table = screen.getByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toContain('vs best');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByRole('button', { name: 'Promote' })).toBeDisabled();

    await user.click(within(rows[2]!).getByRole('button', { name: 'Promote' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('Promote iteration 3?');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.calls.some((c) => c[0] === 'promote')).toBe(false);

    await user.click(within(rows[2]!).getByRole('button', { name: 'Promote' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Promote' }));
    // The call carries the best model the dialog showed (iteration 2).
    await waitFor(() => expect(fake.calls).toContainEqual(['promote', 'r1', 3, 2]));

    await user.click(screen.getByRole('button', { name: 'Revert to previous best' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revert' }));
    await waitFor(() => expect(fake.calls).toContainEqual(['revert', 'r1', 2]));
    expect(screen.getByRole('button', { name: 'Stop run' })).toBeInTheDocument();
  });
});

describe('Run dashboard gate record', () => {
  it('counts the promotions and names a candidate the ratings place significantly below the best it played', async () => {
    const snap = snapshot('r1', 3);
    const wdl = (wins: number, losses: number) => ({ wins, draws: 0, losses });
    // Both counts are from a's side, whoever moved first.
    const games = (iteration: number, a: string, b: string, aWins: number, aLosses: number) => ({ iteration, kind: 'gate' as const, a, b, a_first: wdl(aWins, aLosses), b_first: wdl(aWins, aLosses) });
    const rated = [
      games(1, 'iter-0001', 'random', 40, 10),
      games(2, 'iter-0002', 'random', 45, 5),
      games(2, 'iter-0002', 'iter-0001', 30, 20),
      games(3, 'iter-0003', 'random', 30, 20),
      games(3, 'iter-0003', 'iter-0002', 5, 45),
    ];
    // The orchestrator's fit of them, as the snapshot carries it.
    snap.ratings = portableFit(fitRunRatings(rated), rated, keptIterations(snap.state));
    snap.state.evaluations[2] = { ...snap.state.evaluations[2]!, promoted: false };
    const fake = fakeClient({ r1: snap });
    disconnect = connectStore(fake.client);
    await openRun('r1');
    render(<Dashboard onBack={() => {}} onBranched={() => {}} />);
    const record = screen.getByRole('note', { name: 'Gate record' });
    expect(record).toHaveTextContent(/^1 promotion over 2 candidates \(one every 2\.0\)\. 1 of 2 candidates is rated significantly below the best model it played: iteration 3 \(\d+ Elo below 2\)\.$/);
  });
});

describe('Run dashboard phases', () => {
  it('shows each phase under way, two while the next iteration self-plays beside this one', async () => {
    const snap = snapshot('r1', 3, 'running');
    snap.state.phases = [
      { iteration: 4, phase: 'train', done: 100, total: 400, eta_seconds: 3, rates: { samples_per_sec: 90_000 } },
      { iteration: 5, phase: 'selfplay', done: 250, total: 2000, eta_seconds: 30, rates: { games_per_sec: 60 } },
    ];
    const fake = fakeClient({ r1: snap });
    disconnect = connectStore(fake.client);
    await openRun('r1');
    render(<Dashboard onBack={() => {}} onBranched={() => {}} />);
    const section = screen.getByRole('region', { name: 'Current phase' });
    expect(within(section).getByText(/^Iteration 4: /)).toHaveTextContent('100 / 400');
    expect(within(section).getByText(/^Iteration 5: /)).toHaveTextContent('250 / 2000');
    expect(within(section).getByRole('progressbar', { name: /Iteration 5 .* progress/ })).toHaveAttribute('value', '250');
  });
});

describe('failed calls', () => {
  it('the runs list shows a failed load as an error with a retry, never as "no runs"', async () => {
    const fake = fakeClient();
    let fail = true;
    const listRuns = fake.client.listRuns;
    fake.client.listRuns = () => (fail ? Promise.reject(new Error('the connection to Loopdeck closed before it answered')) : listRuns());
    disconnect = connectStore(fake.client);
    render(<RunsList onOpen={() => {}} onNew={() => {}} onNewExperiment={() => {}} onCompare={() => {}} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not list the runs: the connection to Loopdeck closed before it answered');
    expect(screen.queryByText(/No runs yet/)).toBeNull();
    fail = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('r1')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    // Which folder the list is of, so a run started from a terminal elsewhere is not looked for in vain.
    expect(screen.getByText('/home/ada/loopdeck/runs').closest('.runs-folder')).toHaveTextContent('in /home/ada/loopdeck/runs');
  });

  it("shows the run folder's size, growth and free space, and warns when the disk fills within a day", async () => {
    const fake = fakeClient({ r1: snapshot('r1', 3) });
    disconnect = connectStore(fake.client);
    await openRun('r1');
    render(<Dashboard onBack={() => {}} onBranched={() => {}} />);
    const line = await screen.findByRole('region', { name: 'Disk' });
    expect(line).toHaveTextContent('Run folder 1.23 GB, growing 410.0 MB/h; 8.20 GB free (about 20 h at this pace). The disk fills within a day');
    expect(within(line).getByRole('alert')).toHaveTextContent(/the run stops cleanly before a phase that does not fit/);
    expect(fake.calls).toContainEqual(['diskUsage', 'r1']);
  });

  it('a promotion refused because the best changed since the dialog says so, and the run is loaded again', async () => {
    const fake = fakeClient({ r1: snapshot('r1', 3) });
    const refusal = 'the best model changed since you confirmed: it is now iteration 3 (promoted by the gate at t), not iteration 1; nothing changed';
    fake.client.promote = () => Promise.reject(new Error(refusal));
    disconnect = connectStore(fake.client);
    await openRun('r1');
    render(<Dashboard onBack={() => {}} onBranched={() => {}} />);
    const user = userEvent.setup();
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    await user.click(within(rows[1]!).getByRole('button', { name: 'Promote' }));
    const loadsBefore = fake.calls.filter((c) => c[0] === 'getRun').length;
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Promote' }));
    await waitFor(() => expect(useStore.getState().notice).toBe(refusal));
    expect(fake.calls.filter((c) => c[0] === 'getRun').length).toBe(loadsBefore + 1);
    expect(useStore.getState().open?.pending).toBeNull();
  });

  it('the resume button is disabled while its call is in flight, so a double click cannot send two', async () => {
    const fake = fakeClient({ r1: snapshot('r1', 2, 'stopped') });
    let release: () => void = () => {};
    let calls = 0;
    fake.client.resumeRun = () => {
      calls++;
      return new Promise((r) => {
        release = () => r(snapshot('r1').summary);
      });
    };
    disconnect = connectStore(fake.client);
    await openRun('r1');
    render(<Dashboard onBack={() => {}} onBranched={() => {}} />);
    const user = userEvent.setup();
    const resume = await screen.findByRole('button', { name: 'Resume run' });
    await user.click(resume);
    expect(resume).toBeDisabled();
    await user.click(resume);
    expect(calls).toBe(1);
    release();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Resume run' })).toBeEnabled());
  });
});
