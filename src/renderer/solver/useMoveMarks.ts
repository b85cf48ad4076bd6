/**
 * Marks each move of a game as keeping or losing the game-theoretic value, for
 * games with a solver, computed in a worker; marks arrive as they are solved.
 */
import { useEffect, useState } from 'react';
import { ownSolverOf } from '../../shared/games/declaration';
import type { GameDeclaration } from '../../shared/protocol';
import { markOf, type MoveMark, type SolverAnswer } from './protocol';

export interface MoveMarks {
  marks: (MoveMark | null)[];
  /** Why there are none, when there are none. */
  note: string | null;
}

export function useMoveMarks(game: GameDeclaration, moves: readonly number[] | null): MoveMarks {
  const [marks, setMarks] = useState<(MoveMark | null)[]>([]);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    setMarks(moves ? moves.map(() => null) : []);
    setNote(null);
    const solver = ownSolverOf(game);
    if (!moves || !solver) {
      setNote(moves ? 'Loopdeck has no solver for this game' : null);
      return;
    }
    let worker: Worker;
    try {
      worker = new Worker(new URL('./solverWorker.ts', import.meta.url), { type: 'module' });
    } catch {
      setNote('the solver could not start here');
      return;
    }
    worker.onmessage = (event: MessageEvent<SolverAnswer>) => {
      const answer = event.data;
      setMarks((old) => {
        const next = old.slice();
        next[answer.index] = markOf(answer, moves[answer.index]!);
        return next;
      });
    };
    worker.onerror = () => setNote('the solver failed');
    // The earliest positions take the solver minutes; they stay unmarked.
    const fromPly = solver.positionSet.stages[0]!.fromPly;
    if (fromPly > 0) setNote(`moves before ply ${fromPly} are not solved here: the solver takes minutes there`);
    worker.postMessage({ game: game.id, moves: [...moves], fromPly });
    return () => worker.terminate();
  }, [game, moves]);
  return { marks, note };
}
