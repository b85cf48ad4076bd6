/**
 * Play a game against one of the run's models on the board: choose a side and
 * the simulations per move; the model answers through the server's bestMove.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { boardCells } from '../../../shared/boards';
import { GAME_SPECS, type GameId } from '../../../shared/games';
import { errorText } from '../../format';
import { actions } from '../../store';
import { Board } from './Board';
import { Dialog } from '../Dialog';

interface PlayDialogProps {
  runName: string;
  game: GameId;
  iteration: number;
  defaultSims: number;
  onClose(): void;
}

type Side = 0 | 1;

/** The game's state after `moves`: whose turn, and the result once it is over. */
function position(game: GameId, moves: number[]) {
  const rules = GAME_SPECS[game].rules;
  const state = rules.parse(moves.join(''));
  const outcome = rules.outcome(state);
  return { toMove: (moves.length % 2) as Side, over: outcome !== null, winner: outcome === -1 ? (((moves.length - 1) % 2) as Side) : null };
}

export function PlayDialog({ runName, game, iteration, defaultSims, onClose }: PlayDialogProps) {
  const view = GAME_SPECS[game].board;
  const [side, setSide] = useState<Side>(0);
  const [sims, setSims] = useState(String(defaultSims));
  const [moves, setMoves] = useState<number[] | null>(null);
  const [thinking, setThinking] = useState(false);
  const [modelValue, setModelValue] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  useEffect(() => startRef.current?.focus(), []);

  const simsValue = Number(sims);
  const simsOk = Number.isInteger(simsValue) && simsValue >= 1 && simsValue <= 100_000;
  const state = moves ? position(game, moves) : null;
  const cells = useMemo(() => boardCells(game, moves ?? []), [game, moves]);
  const last = moves && moves.length > 0 ? view.landing(moves, moves.length - 1) : null;

  const modelMove = async (current: number[]) => {
    setThinking(true);
    setError(null);
    try {
      const reply = await actions.bestMove(runName, iteration, current.join(''), simsValue);
      setModelValue(reply.value);
      setMoves([...current, reply.move]);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setThinking(false);
    }
  };

  const start = () => {
    const fresh: number[] = [];
    setMoves(fresh);
    setModelValue(null);
    setError(null);
    if (side === 1) void modelMove(fresh);
  };

  const play = (move: number) => {
    if (!moves || !state || state.over || thinking || state.toMove !== side) return;
    const next = [...moves, move];
    setMoves(next);
    if (!position(game, next).over) void modelMove(next);
  };

  let status = '';
  if (state) {
    if (state.over) status = state.winner === null ? 'Draw.' : state.winner === side ? 'You won.' : 'The model won.';
    else if (thinking) status = 'The model is thinking…';
    else status = state.toMove === side ? `Your move (${view.sides[side]}).` : 'Waiting for the model.';
  }

  return (
    <Dialog title={`Play against iteration ${iteration}`} className="play" closeButton onClose={onClose}>
      <div className="play-settings">
        <fieldset>
          <legend>Your side</legend>
          {([0, 1] as Side[]).map((s) => (
            <label key={s}>
              <input type="radio" name="side" checked={side === s} onChange={() => setSide(s)} /> {view.sides[s]} ({s === 0 ? 'moves first' : 'moves second'})
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Simulations</span>
          <input type="text" inputMode="numeric" aria-label="Simulations" aria-invalid={!simsOk} value={sims} onChange={(e) => setSims(e.target.value)} />
        </label>
        <button type="button" className="primary" ref={startRef} onClick={start} disabled={!simsOk || thinking}>
          {moves ? 'New game' : 'Start game'}
        </button>
      </div>
      {!simsOk && <p className="field-error">Simulations must be a whole number from 1 to 100000.</p>}
      {moves && (
        <div className="play-board">
          <Board game={game} cells={cells} last={last} onMove={state && !state.over && !thinking && state.toMove === side ? play : undefined} />
          <p role="status" aria-live="polite">
            {status}
            {modelValue !== null && !state?.over ? ` The model's value for its position: ${modelValue.toFixed(2)}.` : ''}
          </p>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}{' '}
          {moves && (
            <button type="button" className="small" onClick={() => void modelMove(moves)}>
              Retry
            </button>
          )}
        </p>
      )}
    </Dialog>
  );
}
