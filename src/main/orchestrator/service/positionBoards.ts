/**
 * Positions drawn by the engine that knows the game (protocol `board`): the panel does not know the
 * rules of an engine's game, so the board, whose turn, the legal moves and the result of every
 * position it shows come from the run's actor command, one long-lived process per engine and game.
 * An answer that does not fit the run's declaration (a board of another size, a move it does not
 * declare) is turned into an error for that position.
 */
import { ApiError, MAX_POSITIONS } from '../../../shared/api';
import { PROTOCOL_PARSERS, type BoardLine, type BoardReply, type GameDeclaration } from '../../../shared/protocol';
import { AnswerSessionPool } from '../process/answerSession';

export class PositionBoards {
  private readonly pool = new AnswerSessionPool(PROTOCOL_PARSERS.board, "the engine's board");

  /** Each position's board, or `{position, error}` for one the engine refuses. */
  async show(command: readonly string[], game: GameDeclaration, positions: readonly string[]): Promise<BoardLine[]> {
    if (!Array.isArray(positions) || positions.length > MAX_POSITIONS || !positions.every((p) => typeof p === 'string'))
      throw new ApiError({ code: 'bad_request', message: `positions must be a list of at most ${MAX_POSITIONS} texts in the game's notation` });
    const argv = [...command, 'board', '--game', game.id];
    return Promise.all(
      positions.map((position) =>
        this.pool.ask(argv, position).then(
          (reply): BoardLine => {
            const misfit = boardMisfit(reply, game);
            return misfit ? { position, error: `the engine's board answer does not fit ${game.label} as declared: ${misfit}` } : { ...reply, position };
          },
          (error: unknown): BoardLine => {
            if (error instanceof ApiError && error.code === 'bad_request') return { position, error: error.message };
            throw error;
          },
        ),
      ),
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function boardMisfit(reply: BoardReply, game: GameDeclaration): string | null {
  const { rows, cols } = game.board;
  if (reply.board.length !== rows || reply.board.some((row) => [...row].length !== cols)) return `its board is not ${rows} rows of ${cols} cells`;
  const stray = reply.legal.find((m) => !Number.isInteger(m) || m < 1 || m > game.actions);
  if (stray !== undefined) return `legal move ${stray} is not one of its ${game.actions} actions`;
  return null;
}
