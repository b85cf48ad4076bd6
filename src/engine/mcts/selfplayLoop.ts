/**
 * Self-play of many concurrent games: every move of every live game is
 * searched in the same rounds, so the network sees one batch per round.
 */
import type { Game, SearchSettings } from '../../shared/games/types';
import type { Rng } from '../../shared/random';
import type { MoveSearch } from '../../shared/gameRecords';
import { moveSearch } from './arenaLoop';
import type { LeafEvaluator } from './leafEvaluator';
import { randomOpening } from './randomOpening';
import { resultOf } from '../../shared/games/results';
import { chooseMove, type SearchNode, SearchTree, searchMany, visitPolicy } from './search';

export interface TrainingPosition {
  observation: Float32Array;
  policy: Float32Array;
  legal: Uint8Array;
  /** Final outcome for the player to move here: 1 win, 0 draw, -1 loss. */
  value: number;
  /** The search's value of this position for the player to move, in [-1, 1]. */
  searchValue: number;
}

interface LiveGame {
  root: SearchNode;
  /** Whether this move gets the full search (and becomes a training position). */
  full: boolean;
  history: { observation: Float32Array; policy: Float32Array; legal: Uint8Array; searchValue: number; ply: number }[];
  /** Random plies that opened the game. */
  opening: number;
  /** Kept for games that will be recorded. */
  moves: number[];
  search: (MoveSearch | null)[];
}

/**
 * A finished game for the record: 1-based moves, the random opening's length, and each move's root
 * (null for the opening's moves; the prior includes the root's Dirichlet noise where the move had the full search).
 */
export interface SelfplayRecord {
  moves: number[];
  opening: number;
  search: (MoveSearch | null)[];
  result: 'first' | 'second' | 'draw';
}

export interface SelfplayOptions {
  game: Game<any>;
  evaluator: LeafEvaluator;
  episodes: number;
  sims: number;
  tempThreshold: number;
  /**
   * Most uniformly random plies that open a game: each game draws its opening's length from
   * 0..openingPlies. They are not searched and not trained on; they spread self-play over positions
   * a single best model would never reach.
   */
  openingPlies: number;
  parallel: number;
  params: SearchSettings;
  rng: Rng;
  /** How many of the first games to finish are also reported as records. */
  recordGames?: number;
  onGame(positions: TrainingPosition[], record: SelfplayRecord | null): Promise<void> | void;
}

/** Simulations of a fast (playout-capped) search when a full one has `sims`. */
export function fastSearchSims(sims: number, params: Pick<SearchSettings, 'fastSearchShare'>): number {
  return Math.max(1, Math.round(sims * params.fastSearchShare));
}

export async function playSelfplayGames(o: SelfplayOptions): Promise<void> {
  const { game } = o;
  let started = 0;
  let recorded = 0;
  const live: LiveGame[] = [];
  // A finished game's tree serves the next one, so trees grow once, not once per game.
  const spareTrees: SearchTree[] = [];
  let copyTree = new SearchTree(game);
  const startGame = () => {
    started++;
    // No draw at all without openings, so such runs replay the same random numbers as before.
    const length = o.openingPlies > 0 ? Math.floor(o.rng() * (o.openingPlies + 1)) : 0;
    const opening = randomOpening(game, length, o.rng);
    const moves = opening.moves.map((action) => action + 1);
    const tree = spareTrees.pop() ?? new SearchTree(game);
    live.push({ root: tree.root(opening.state), full: true, history: [], opening: moves.length, moves, search: moves.map(() => null) });
  };
  const { fullSearchShare } = o.params;
  const fastSims = fastSearchSims(o.sims, o.params);
  while (started < o.episodes && live.length < o.parallel) startGame();

  while (live.length > 0) {
    for (const g of live) g.full = fullSearchShare >= 1 || o.rng() < fullSearchShare;
    await searchMany(
      game,
      live.map((g) => ({ root: g.root, evaluator: o.evaluator, sims: g.full ? o.sims : fastSims, noise: g.full })),
      o.params,
      o.rng,
    );
    for (let i = live.length - 1; i >= 0; i--) {
      const g = live[i]!;
      const state = g.root.state;
      const ply = game.ply(state);
      if (g.full) {
        const observation = new Float32Array(game.obsSize);
        game.encode(state, observation, 0);
        const legal = new Uint8Array(game.actions);
        for (const a of g.root.legal) legal[a] = 1;
        g.history.push({ observation, policy: visitPolicy(game, g.root), legal, searchValue: g.root.rootValue(), ply });
      }
      const temperature = o.tempThreshold === 0 || ply < o.tempThreshold ? 1 : 0;
      const index = chooseMove(g.root, temperature, o.rng);
      if (recorded < (o.recordGames ?? 0)) {
        g.moves.push(g.root.legal[index]! + 1);
        g.search.push(moveSearch(game, g.root));
      }
      // Keep the chosen subtree (its visits are still good information) and leave the rest: the
      // copy goes to the spare tree, and this game's tree becomes the spare.
      const kept = g.root.child(index);
      const tree = g.root.tree;
      g.root = kept ? copyTree.copyOf(tree, kept.id) : copyTree.root(game.play(state, g.root.legal[index]!));
      copyTree = tree;
      const outcome = game.outcome(g.root.state);
      if (outcome === null) continue;
      const finalPly = game.ply(g.root.state);
      // outcome is for the player to move at the end; a position's value is for its own player to move.
      const positions = g.history.map((h) => ({
        observation: h.observation,
        policy: h.policy,
        legal: h.legal,
        value: outcome === 0 ? 0 : (finalPly - h.ply) % 2 === 0 ? outcome : -outcome,
        searchValue: h.searchValue,
      }));
      live.splice(i, 1);
      spareTrees.push(g.root.tree);
      const record: SelfplayRecord | null =
        recorded < (o.recordGames ?? 0) && g.moves.length === finalPly ? { moves: g.moves, opening: g.opening, search: g.search, result: resultOf(outcome, finalPly) } : null;
      if (record) recorded++;
      await o.onGame(positions, record);
      if (started < o.episodes) startGame();
    }
  }
}
