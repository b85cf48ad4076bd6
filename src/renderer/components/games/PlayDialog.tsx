/**
 * Play a game against one of the run's models on the board: choose a side and
 * the simulations per move; the model answers through the server's bestMove,
 * and the engine draws each position and says whose turn it is and what is
 * legal (showPositions), so a game the panel has no rules for plays the same.
 */
import { useEffect, useRef, useState } from 'react';
import { moveLabel, movesOffBoard, placedCell, positionText } from '../../../shared/games/notation';
import type { BoardReply, GameDeclaration } from '../../../shared/protocol';
import { errorText } from '../../format';
import { actions } from '../../store';
import { Board } from './Board';
import { Dialog } from '../Dialog';

interface PlayDialogProps {
  runName: string;
  game: GameDeclaration;
  iteration: number;
  defaultSims: number;
  onClose(): void;
}

type Side = 0 | 1;

/** The game so far: its moves, and the engine's view of the position after them (and of the one before, for the last move's cell). */
interface Played {
  moves: number[];
  position: BoardReply;
  previous: BoardReply | null;
}

export function PlayDialog({ runName, game, iteration, defaultSims, onClose }: PlayDialogProps) {
  const [side, setSide] = useState<Side>(0);
  const [sims, setSims] = useState(String(defaultSims));
  const [played, setPlayed] = useState<Played | null>(null);
  const [thinking, setThinking] = useState(false);
  const [modelValue, setModelValue] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState<(() => void) | null>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  useEffect(() => startRef.current?.focus(), []);

  const simsValue = Number(sims);
  const simsOk = Number.isInteger(simsValue) && simsValue >= 1 && simsValue <= 100_000;

  /** The engine's view of the position after `moves`. */
  const show = async (moves: number[]): Promise<BoardReply> => {
    const [line] = await actions.showPositions(runName, [positionText(game, moves)]);
    if (!line || 'error' in line) throw new Error(line ? line.error : 'the engine answered nothing');
    return line;
  };

  /** Plays on from `moves` (the engine's view `position`): the model moves while it is its turn. */
  const advance = async (moves: number[], position: BoardReply, previous: BoardReply | null): Promise<void> => {
    setPlayed({ moves, position, previous });
    if (position.result !== null || position.to_move - 1 === side) return;
    setThinking(true);
    setError(null);
    try {
      const reply = await actions.bestMove(runName, iteration, positionText(game, moves), simsValue);
      setModelValue(reply.value);
      const next = [...moves, reply.move];
      await advance(next, await show(next), position);
    } catch (e) {
      setError(errorText(e));
      setRetry(() => () => void advance(moves, position, previous));
    } finally {
      setThinking(false);
    }
  };

  const start = async () => {
    setModelValue(null);
    setError(null);
    try {
      await advance([], await show([]), null);
    } catch (e) {
      setError(errorText(e));
      setRetry(() => () => void start());
    }
  };

  const play = async (move: number) => {
    if (!played || thinking) return;
    const next = [...played.moves, move];
    try {
      await advance(next, await show(next), played.position);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const position = played?.position ?? null;
  const yourTurn = position !== null && position.result === null && !thinking && position.to_move - 1 === side;
  let status = '';
  if (position) {
    if (position.result !== null) status = position.result === 'draw' ? 'Draw.' : (position.result === 'first' ? 0 : 1) === side ? 'You won.' : 'The model won.';
    else if (thinking) status = 'The model is thinking…';
    else status = yourTurn ? `Your move (${game.players[side]}).` : 'Waiting for the model.';
  }
  const passes = yourTurn ? movesOffBoard(game, position!.legal) : [];

  return (
    <Dialog title={`Play against iteration ${iteration}`} className="play" closeButton onClose={onClose}>
      <div className="play-settings">
        <fieldset>
          <legend>Your side</legend>
          {([0, 1] as Side[]).map((s) => (
            <label key={s}>
              <input type="radio" name="side" checked={side === s} onChange={() => setSide(s)} /> {game.players[s]} ({s === 0 ? 'moves first' : 'moves second'})
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Simulations</span>
          <input type="text" inputMode="numeric" aria-label="Simulations" aria-invalid={!simsOk} value={sims} onChange={(e) => setSims(e.target.value)} />
        </label>
        <button type="button" className="primary" ref={startRef} onClick={() => void start()} disabled={!simsOk || thinking}>
          {played ? 'New game' : 'Start game'}
        </button>
      </div>
      {!simsOk && <p className="field-error">Simulations must be a whole number from 1 to 100000.</p>}
      {played && position && (
        <div className="play-board">
          <Board
            game={game}
            board={position.board}
            last={placedCell(played.previous?.board ?? null, position.board)}
            legal={position.legal}
            onMove={yourTurn ? (move) => void play(move) : undefined}
          />
          {passes.map((move) => (
            <button key={move} type="button" onClick={() => void play(move)}>
              {moveLabel(game, move)}
            </button>
          ))}
          <p role="status" aria-live="polite">
            {status}
            {modelValue !== null && position.result === null ? ` The model's value for its position: ${modelValue.toFixed(2)}.` : ''}
          </p>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}{' '}
          {retry && (
            <button type="button" className="small" onClick={() => retry()}>
              Retry
            </button>
          )}
        </p>
      )}
    </Dialog>
  );
}
