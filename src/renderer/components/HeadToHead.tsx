/**
 * Head-to-head: pick two players (the run's models, random, the reference
 * players) and start a match of a number of games, or one that a sequential
 * test stops when it decides. Score and interval update live; the games feed
 * the ratings.
 */
import { memo, useState } from 'react';
import type { GameDeclaration } from '../../shared/protocol';
import { DEFAULT_SPRT, scoreSummary, sprt, totals, type MatchState } from '../../shared/matches';
import { modelPlayerId, playerLabel, RANDOM_ID, referenceId } from '../../shared/players';
import { elo, pct } from '../format';
import { actions } from '../store';

interface HeadToHeadProps {
  runName: string;
  /** The reference players the run's engine declares. */
  references: NonNullable<NonNullable<GameDeclaration['capabilities']>['references']>;
  iterations: number[];
  bestIteration: number | null;
  matches: MatchState[];
}

export const HeadToHead = memo(function HeadToHead({ runName, references, iterations, bestIteration, matches }: HeadToHeadProps) {
  const players = [...[...iterations].reverse().map(modelPlayerId), RANDOM_ID, ...references.map((r) => referenceId(r.player))];
  const latest = iterations.length ? modelPlayerId(iterations[iterations.length - 1]!) : '';
  const [a, setA] = useState<string>('');
  const [b, setB] = useState<string>('');
  const [games, setGames] = useState('100');
  const [sequential, setSequential] = useState(true);
  const [starting, setStarting] = useState(false);
  const chosenA = a || latest;
  const chosenB = b || (bestIteration !== null && modelPlayerId(bestIteration) !== chosenA ? modelPlayerId(bestIteration) : (players.find((p) => p !== chosenA) ?? ''));
  const gamesValue = Number(games);
  const gamesOk = Number.isInteger(gamesValue) && gamesValue >= 2 && gamesValue <= 10_000;
  const canStart = chosenA !== '' && chosenB !== '' && chosenA !== chosenB && gamesOk && !starting;

  const start = async () => {
    setStarting(true);
    await actions.startMatch(runName, { a: chosenA, b: chosenB, games: gamesValue, sprt: sequential ? DEFAULT_SPRT : null });
    setStarting(false);
  };

  return (
    <section className="card" aria-label="Head-to-head">
      <header className="card-header">
        <h3>Head-to-head</h3>
      </header>
      <div className="h2h-form">
        <PlayerSelect label="Player A" players={players} value={chosenA} onChange={setA} />
        <PlayerSelect label="Player B" players={players} value={chosenB} onChange={setB} />
        <label>
          {sequential ? 'At most' : 'Games'}{' '}
          <input type="text" inputMode="numeric" aria-label="Match games" aria-invalid={!gamesOk} value={games} onChange={(e) => setGames(e.target.value)} size={5} />
        </label>
        <label title={`Stops when a sequential probability ratio test decides between ${DEFAULT_SPRT.elo0} and +${DEFAULT_SPRT.elo1} Elo (alpha = beta = ${DEFAULT_SPRT.alpha})`}>
          <input type="checkbox" checked={sequential} onChange={(e) => setSequential(e.target.checked)} /> until the test decides
        </label>
        <button type="button" className="primary" disabled={!canStart} onClick={() => void start()}>
          Start match
        </button>
      </div>
      {!gamesOk && <p className="field-error">Games must be a whole number from 2 to 10000.</p>}
      {chosenA === chosenB && chosenA !== '' && <p className="field-error">Choose two different players.</p>}
      {matches.length > 0 && (
        <table className="grid" aria-label="Matches">
          <thead>
            <tr>
              <th>A vs B</th>
              <th>Games</th>
              <th>W-D-L (A)</th>
              <th>Score (95%)</th>
              <th>Elo A − B</th>
              <th>Test</th>
              <th>Status</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {[...matches].reverse().map((m) => {
              const wdl = totals(m.a_first, m.b_first);
              const s = scoreSummary(wdl);
              const test = m.request.sprt ? sprt(wdl, m.request.sprt) : null;
              return (
                <tr key={m.id} data-match={m.id}>
                  <td>
                    {playerLabel(m.request.a)} vs {playerLabel(m.request.b)}
                  </td>
                  <td>
                    {s.games} / {m.request.games}
                  </td>
                  <td>
                    {wdl.wins}-{wdl.draws}-{wdl.losses}
                  </td>
                  <td>{s.games ? `${pct(s.score, 1)} (${pct(s.low, 0)} to ${pct(s.high, 0)})` : '–'}</td>
                  <td>{s.elo === null ? '–' : `${elo(s.elo)} (${elo(s.elo_low)} to ${elo(s.elo_high)})`}</td>
                  <td>
                    {test
                      ? m.decision
                        ? m.decision === 'H1'
                          ? 'A is stronger'
                          : 'A is not stronger'
                        : `LLR ${test.llr.toFixed(2)} (${test.lower.toFixed(2)}, ${test.upper.toFixed(2)})`
                      : 'fixed games'}
                  </td>
                  <td>
                    <span className={`badge ${m.status === 'running' ? 'running' : m.status === 'failed' ? 'failed' : 'completed'}`}>{m.status}</span>
                    {m.error ? <span className="error"> {m.error}</span> : null}
                  </td>
                  <td>
                    {m.status === 'running' && (
                      <button type="button" className="small" onClick={() => void actions.stopMatch(runName, m.id)}>
                        Stop
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
});

function PlayerSelect({ label, players, value, onChange }: { label: string; players: string[]; value: string; onChange: (id: string) => void }) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {players.map((p) => (
          <option key={p} value={p}>
            {playerLabel(p)}
          </option>
        ))}
      </select>
    </label>
  );
}
