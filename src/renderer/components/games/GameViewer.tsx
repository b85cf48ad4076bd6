/**
 * The game viewer: an iteration's kept games (arena, ladder, match and sampled
 * self-play), one at a time on the board, stepped with Previous/Next or the
 * arrow keys, with the move list, the search's visit share over the legal
 * moves, the value over the game and, for games with a solver, each move
 * marked as keeping or losing the game-theoretic value.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Line, LineChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { GameRecord, GamesChunk, GamesFile } from '../../../shared/gameRecords';
import { moveLabel, placedCell, positionText } from '../../../shared/games/notation';
import type { BoardLine, BoardReply, GameDeclaration } from '../../../shared/protocol';
import { playerLabel } from '../../../shared/players';
import { errorText } from '../../format';
import { actions } from '../../store';
import { useMoveMarks } from '../../solver/useMoveMarks';
import { Board } from './Board';
import { Dialog } from '../Dialog';

const KIND_LABEL: Record<string, string> = { selfplay: 'self-play', gate: 'gate (vs best)', random: 'vs random', ladder: 'ladder', match: 'head-to-head' };

function resultText(game: GameDeclaration, record: GameRecord): string {
  const sides = game.players;
  return record.result === 'draw' ? 'draw' : `${record.result === 'first' ? sides[0] : sides[1]} won`;
}

export function gameTitle(game: GameDeclaration, record: GameRecord, index: number): string {
  const sides = game.players;
  return `Game ${index + 1}: ${playerLabel(record.players[0])} (${sides[0]}) vs ${playerLabel(record.players[1])} (${sides[1]}), ${resultText(game, record)}`;
}

interface GameViewerProps {
  runName: string;
  game: GameDeclaration;
  iteration: number;
  onClose(): void;
}

/**
 * Every position of a record as the engine draws it, asked once per record; an error names the
 * first position the engine refused.
 */
function useRecordBoards(runName: string, game: GameDeclaration, record: GameRecord | null): { boards: BoardReply[] | null; error: string | null } {
  const [answer, setAnswer] = useState<{ record: GameRecord; boards: BoardReply[] | null; error: string | null } | null>(null);
  useEffect(() => {
    if (!record) return;
    let current = true;
    const positions = Array.from({ length: record.moves.length + 1 }, (_, ply) => positionText(game, record.moves.slice(0, ply)));
    actions.showPositions(runName, positions).then(
      (lines: BoardLine[]) => {
        if (!current) return;
        const refused = lines.findIndex((l) => 'error' in l);
        const error = refused >= 0 ? `the engine could not show the position after move ${refused}: ${(lines[refused] as { error: string }).error}` : null;
        setAnswer({ record, boards: refused >= 0 ? null : (lines as BoardReply[]), error });
      },
      (e) => current && setAnswer({ record, boards: null, error: errorText(e) }),
    );
    return () => {
      current = false;
    };
  }, [runName, game, record]);
  return answer && answer.record === record ? answer : { boards: null, error: null };
}

export function GameViewer({ runName, game, iteration, onClose }: GameViewerProps) {
  const [files, setFiles] = useState<GamesFile[] | null>(null);
  const [file, setFile] = useState<string | null>(null);
  const [chunk, setChunk] = useState<GamesChunk | null>(null);
  const [gameIndex, setGameIndex] = useState(0);
  const [ply, setPly] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const dialogRef = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load when Retry is clicked
  useEffect(() => {
    setError(null);
    actions.listGames(runName, iteration).then(
      (list) => {
        setFiles(list);
        setFile((current) => current ?? list[0]?.file ?? null);
      },
      (e) => setError(errorText(e)),
    );
  }, [runName, iteration, attempt]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load when Retry is clicked
  useEffect(() => {
    if (!file) return;
    setChunk(null);
    actions.readGames(runName, iteration, file).then(
      (c) => {
        setChunk(c);
        setGameIndex(0);
        setPly(0);
      },
      (e) => setError(errorText(e)),
    );
  }, [runName, iteration, file, attempt]);
  useEffect(() => dialogRef.current?.focus(), []);

  const record = chunk?.records[gameIndex] ?? null;
  const moves = useMemo(() => record?.moves ?? null, [record]);
  const { marks, note } = useMoveMarks(game, moves);
  const total = record?.moves.length ?? 0;
  const step = useCallback((delta: number) => setPly((p) => Math.max(0, Math.min(total, p + delta))), [total]);
  const onKey = (e: React.KeyboardEvent) => {
    const target = ({ ArrowLeft: ply - 1, ArrowRight: ply + 1, Home: 0, End: total } as Record<string, number>)[e.key];
    if (e.key === 'Escape') onClose();
    else if (target === undefined) return;
    else setPly(Math.max(0, Math.min(total, target)));
    e.preventDefault();
  };

  const { boards, error: boardError } = useRecordBoards(runName, game, record);
  const position = boards?.[ply] ?? null;
  const last = boards && ply > 0 ? placedCell(boards[ply - 1]!.board, boards[ply]!.board) : null;
  const search = record && ply < total ? record.search[ply] : null;
  // Whose move each ply was: the engine's word (a pass may give the same player two in a row), else alternating.
  const moverAt = useCallback((i: number): 0 | 1 => (boards?.[i] ? ((boards[i]!.to_move - 1) as 0 | 1) : ((i % 2) as 0 | 1)), [boards]);
  const values = useMemo(() => (record ? record.search.map((s, i) => ({ ply: i, value: s ? (moverAt(i) === 0 ? s.value : -s.value) : null })) : []), [record, moverAt]);

  return (
    <Dialog title={`Games of iteration ${iteration}`} className="viewer" closeButton onClose={onClose} onKeyDown={onKey} dialogRef={dialogRef}>
      {error && (
        <p role="alert" className="error">
          Could not load the games: {error}{' '}
          <button type="button" className="small" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </p>
      )}
      {files && files.length === 0 && <p className="empty">Iteration {iteration} kept no games (runs from before game records, or an iteration still in progress).</p>}
      {files && files.length > 0 && (
        <div className="viewer-pickers">
          <label>
            Games file{' '}
            <select value={file ?? ''} onChange={(e) => setFile(e.target.value)}>
              {files.map((f) => (
                <option key={f.file} value={f.file}>
                  {KIND_LABEL[f.kind] ?? f.kind}: {f.file} ({f.games} games)
                </option>
              ))}
            </select>
          </label>
          {chunk && chunk.records.length > 0 && (
            <label>
              Game{' '}
              <select
                value={gameIndex}
                onChange={(e) => {
                  setGameIndex(Number(e.target.value));
                  setPly(0);
                }}
              >
                {chunk.records.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a games file's records are positional and never reordered
                  <option key={i} value={i}>
                    {gameTitle(game, r, i)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      )}
      {chunk && chunk.skipped.length > 0 && (
        <p className="notice">
          Skipped {chunk.skipped.length} line{chunk.skipped.length > 1 ? 's' : ''} of {chunk.file} that {chunk.skipped.length > 1 ? 'are' : 'is'} not a game record:{' '}
          {chunk.skipped
            .slice(0, 3)
            .map((s) => `line ${s.line} (${s.error})`)
            .join(', ')}
          {chunk.skipped.length > 3 ? '…' : ''}
        </p>
      )}
      {record && (
        <div className="viewer-body">
          <div className="viewer-board">
            {position ? (
              <Board game={game} board={position.board} last={last} />
            ) : boardError ? (
              <p role="alert" className="error">
                Cannot draw this game: {boardError}
              </p>
            ) : (
              <p className="muted">Drawing the board…</p>
            )}
            <div className="toolbar viewer-steps">
              <button type="button" onClick={() => step(-1)} disabled={ply === 0}>
                Previous move
              </button>
              <span aria-live="polite">
                Move {ply} of {total}
              </span>
              <button type="button" onClick={() => step(1)} disabled={ply === total}>
                Next move
              </button>
            </div>
            <p className="muted">
              {ply === total ? `Game over: ${resultText(game, record)}.` : `${game.players[moverAt(ply)]} to move.`}{' '}
              {record.opening > 0 ? `The first ${record.opening} moves were a random opening.` : ''}
            </p>
          </div>
          <div className="viewer-side">
            <section aria-label="Search">
              <h4>Search before move {ply + 1 <= total ? ply + 1 : '–'}</h4>
              {search ? (
                <SearchBars game={game} visits={search.visits} prior={search.prior} value={search.value} played={record.moves[ply]!} />
              ) : (
                <p className="muted">{ply === total ? 'The game is over.' : 'This move was not searched (random opening, or a reference player).'}</p>
              )}
            </section>
            <section aria-label="Value over the game">
              <h4>Value for {game.players[0]} (search)</h4>
              <div style={{ width: '100%', height: 90 }}>
                <ResponsiveContainer width="100%" height="100%" minWidth={150}>
                  <LineChart data={values} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                    <XAxis dataKey="ply" type="number" domain={[0, Math.max(1, total - 1)]} hide />
                    <YAxis domain={[-1, 1]} ticks={[-1, 0, 1]} width={24} tick={{ fontSize: 10 }} />
                    <ReferenceLine y={0} stroke="#cbd5e1" />
                    <ReferenceLine x={Math.min(ply, total - 1)} stroke="#22d3ee" />
                    <Line dataKey="value" stroke="#2563eb" dot={false} connectNulls isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            </section>
            <section aria-label="Moves">
              <h4>Moves {note ? <span className="muted">({note})</span> : null}</h4>
              <ol className="move-list">
                {record.moves.map((m, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: moves are positional: the i-th move of the game
                  <li key={i} className={i === ply - 1 ? 'current' : undefined}>
                    <button type="button" className="link" onClick={() => setPly(i + 1)}>
                      {game.players[moverAt(i)]} {moveLabel(game, m)}
                    </button>{' '}
                    <MarkBadge mark={marks[i] ?? null} />
                  </li>
                ))}
              </ol>
            </section>
          </div>
        </div>
      )}
    </Dialog>
  );
}

function MarkBadge({ mark }: { mark: 'keeps' | 'loses' | 'unsolved' | null }) {
  if (mark === null)
    return (
      <span className="mark pending" title="solving">
        …
      </span>
    );
  if (mark === 'unsolved')
    return (
      <span className="mark unsolved" title="too early in the game to solve here">
        ·
      </span>
    );
  return mark === 'keeps' ? (
    <span className="mark keeps" title="keeps the game-theoretic value">
      keeps value
    </span>
  ) : (
    <span className="mark loses" title="loses game-theoretic value">
      loses value
    </span>
  );
}

function SearchBars({ game, visits, prior, value, played }: { game: GameDeclaration; visits: number[]; prior: number[]; value: number; played: number }) {
  const total = visits.reduce((a, b) => a + b, 0) || 1;
  const legal = visits.map((v, a) => ({ action: a, v, p: prior[a] ?? 0 })).filter((x) => x.v > 0 || x.p > 0);
  return (
    <div>
      <p className="muted">
        Value for the player to move: {value.toFixed(2)} · {total} visits
      </p>
      <ul className="bars" aria-label="Visit share">
        {legal.map(({ action, v, p }) => (
          <li key={action} className={action + 1 === played ? 'played' : undefined}>
            <span className="bar-label">{moveLabel(game, action + 1)}</span>
            <span className="bar-track" role="img" aria-label={`${moveLabel(game, action + 1)}: ${Math.round((v / total) * 100)}% of visits, prior ${Math.round(p * 100)}%`}>
              <span className="bar visits" style={{ width: `${(v / total) * 100}%` }} />
              <span className="bar prior" style={{ width: `${p * 100}%` }} />
            </span>
            <span className="bar-value">{Math.round((v / total) * 100)}%</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
