/**
 * Matches between two players, many games at once. A player is a leaf
 * evaluator searched with MCTS, or a move function (the random player, a
 * solver). Games come in pairs: both games of a pair start from the same
 * opening of `openingPlies` uniformly random moves (seeded), with colours
 * swapped, so games between deterministic players differ and an opening's
 * advantage cancels out; after the opening, searched moves are chosen at
 * `temperature` (0: the most visited).
 */
import type { MoveSearch } from '../../shared/gameRecords';
import type { Game, SearchSettings } from '../../shared/games/types';
import type { Rng } from '../../shared/random';
import { randomOpening } from './randomOpening';
import { resultOf } from '../../shared/games/results';
import type { LeafEvaluator } from './leafEvaluator';
import { chooseMove, type SearchNode, SearchTree, searchMany } from './search';

/** A player: MCTS over a leaf evaluator, or a move function (the random player, a solver). */
export type ArenaPlayer = { kind: 'search'; evaluator: LeafEvaluator } | { kind: 'move'; choose(state: unknown, rng: Rng): number };

export function randomPlayer(game: Game<any>): ArenaPlayer {
  return {
    kind: 'move',
    choose: (state, rng) => {
      const legal = game.legalActions(state);
      return legal[Math.floor(rng() * legal.length)]!;
    },
  };
}

export interface ArenaOptions {
  game: Game<any>;
  a: ArenaPlayer;
  b: ArenaPlayer;
  games: number;
  sims: number;
  parallel: number;
  /** Temperature of searched moves after the opening (0: always the most visited move). */
  temperature: number;
  /** Random moves that open each pair of games. */
  openingPlies: number;
  params: SearchSettings;
  rng: Rng;
  onGame(result: ArenaGame): void;
}

export interface ArenaGame {
  index: number;
  aFirst: boolean;
  /** For player a. */
  result: 'win' | 'draw' | 'loss';
  /** 1-based move numbers, the opening's included. */
  moves: number[];
  opening: number;
  /** Per move: the searching player's root, or null (opening, move functions). */
  search: (MoveSearch | null)[];
}

interface LiveMatch {
  index: number;
  aFirst: boolean;
  state: unknown;
  opening: number;
  /** 1-based, the opening's included. */
  moves: number[];
  search: (MoveSearch | null)[];
  /** Searched afresh at every move (the opponent's reply is not in it). */
  tree: SearchTree;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The root of a finished search as a record: per action visits and prior, and the value for the mover. */
export function moveSearch(game: Game<any>, root: SearchNode): MoveSearch {
  const visits = new Array<number>(game.actions).fill(0);
  const prior = new Array<number>(game.actions).fill(0);
  const counts = root.visits;
  const priors = root.priors;
  root.legal.forEach((action, i) => {
    visits[action] = counts[i]!;
    prior[action] = round(priors[i]!, 4);
  });
  return { visits, prior, value: round(root.rootValue(), 4) };
}

export async function playArena(o: ArenaOptions): Promise<{ wins: number; draws: number; losses: number }> {
  const { game } = o;
  const totals = { wins: 0, draws: 0, losses: 0 };
  let next = 0;
  const live: LiveMatch[] = [];
  const spareTrees: SearchTree[] = [];
  let pairOpening: { state: unknown; moves: number[] } | null = null;
  const start = () => {
    if (next % 2 === 0 || !pairOpening) pairOpening = randomOpening(game, o.openingPlies, o.rng);
    const opening = pairOpening.moves.length;
    live.push({
      index: next,
      aFirst: next % 2 === 0,
      state: pairOpening.state,
      opening,
      moves: pairOpening.moves.map((a) => a + 1),
      search: new Array(opening).fill(null),
      tree: spareTrees.pop() ?? new SearchTree(game),
    });
    next++;
  };
  while (next < o.games && live.length < o.parallel) start();
  const playerToMove = (m: LiveMatch) => ((game.ply(m.state) % 2 === 0) === m.aFirst ? o.a : o.b);

  while (live.length > 0) {
    const searched = live.filter((m) => playerToMove(m).kind === 'search');
    const roots = searched.map((m) => m.tree.root(m.state));
    await searchMany(
      game,
      searched.map((m, i) => ({ root: roots[i]!, evaluator: (playerToMove(m) as { evaluator: LeafEvaluator }).evaluator, sims: o.sims, noise: false })),
      o.params,
      o.rng,
    );
    const rootOf = new Map(searched.map((m, i) => [m, roots[i]!]));
    for (let i = live.length - 1; i >= 0; i--) {
      const m = live[i]!;
      const root = rootOf.get(m);
      let action: number;
      if (!root) {
        action = (playerToMove(m) as { choose(state: unknown, rng: Rng): number }).choose(m.state, o.rng);
        m.search.push(null);
      } else {
        action = root.legal[chooseMove(root, o.temperature, o.rng)]!;
        m.search.push(moveSearch(game, root));
      }
      m.state = game.play(m.state, action);
      m.moves.push(action + 1);
      const outcome = game.outcome(m.state);
      if (outcome === null) continue;
      const winner = resultOf(outcome, game.ply(m.state));
      const result = winner === 'draw' ? 'draw' : (winner === 'first') === m.aFirst ? 'win' : 'loss';
      totals[result === 'win' ? 'wins' : result === 'draw' ? 'draws' : 'losses']++;
      o.onGame({ index: m.index, aFirst: m.aFirst, result, moves: m.moves, opening: m.opening, search: m.search });
      live.splice(i, 1);
      spareTrees.push(m.tree);
      if (next < o.games) start();
    }
  }
  return totals;
}
