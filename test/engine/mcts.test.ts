import { describe, expect, it } from 'vitest';
import { connect4 } from '../../src/shared/games/connect4/rules';
import { ticTacToe } from '../../src/shared/games/tictactoe/rules';
import { RolloutLeafEvaluator } from '../../src/engine/mcts/leafEvaluator';
import { chooseMove, type SearchNode, SearchTree, searchMany, visitPolicy } from '../../src/engine/mcts/search';
import { type ArenaGame, playArena, randomPlayer } from '../../src/engine/mcts/arenaLoop';
import { playSelfplayGames } from '../../src/engine/mcts/selfplayLoop';
import { createRng } from '../../src/shared/random';
import type { Game } from '../../src/shared/games/types';
import { gameSpec, GAME_SPECS } from '../../src/shared/games';

async function bestMove(game: Game<any>, notation: string, sims: number): Promise<{ move: number; root: SearchNode }> {
  const rng = createRng(5);
  const root = new SearchTree(game).root(game.parse(notation));
  await searchMany(game, [{ root, evaluator: new RolloutLeafEvaluator(game, rng), sims, noise: false }], { ...gameSpec(game.id).search, noiseFraction: 0 }, rng);
  return { move: root.legal[chooseMove(root, 0, rng)]! + 1, root };
}

describe('MCTS with the rollout evaluator', () => {
  it('takes a win in one and blocks a loss in one', async () => {
    expect((await bestMove(ticTacToe, '1425', 400)).move).toBe(3); // X completes 1-2-3
    expect((await bestMove(ticTacToe, '153', 400)).move).toBe(2); // O must block 1-2-3
    const win = await bestMove(connect4, '112233', 800);
    expect(win.move).toBe(4); // first player completes the bottom row
    expect(win.root.rootValue()).toBeGreaterThan(0.8); // the search's value, for the player to move
    expect((await bestMove(connect4, '12131', 800)).move).toBe(1); // second player blocks column 1
  });

  it('a reused tree searches exactly as a new one: reset, growth and a kept subtree lose nothing', async () => {
    const params = { ...GAME_SPECS.connect4.search, noiseFraction: 0 };
    const search = async (root: SearchNode, sims: number, seed: number) => {
      const rng = createRng(seed);
      await searchMany(connect4, [{ root, evaluator: new RolloutLeafEvaluator(connect4, rng), sims, noise: false }], params, rng);
      return { visits: root.visits, priors: root.priors, value: root.rootValue(), total: root.totalVisits };
    };
    const fresh = await search(new SearchTree(connect4).root(connect4.parse('4455')), 600, 9);
    expect(fresh.total).toBe(600); // 600 simulations grow the tree's arrays several times over
    const reused = new SearchTree(connect4);
    const elsewhere = await search(reused.root(connect4.parse('1234567')), 900, 1);
    expect(elsewhere.total).toBe(900);
    expect(await search(reused.root(connect4.parse('4455')), 600, 9)).toEqual(fresh);
    // A kept subtree carries its visits into the next search, which adds to them; copied into
    // another (used) tree, it searches on exactly as in place.
    const root = new SearchTree(connect4).root(connect4.parse('4455'));
    await search(root, 600, 9);
    const index = chooseMove(root, 0, createRng(1));
    const copy = reused.copyOf(root.tree, root.child(index)!.id);
    expect(copy.tree.nodes).toBeLessThan(root.tree.nodes);
    const child = root.child(index)!;
    const before = child.totalVisits;
    expect(before).toBe(root.visits[index]! - 1); // its first visit evaluated it
    expect(copy.totalVisits).toBe(before);
    const inPlace = await search(child, 300, 2);
    expect(inPlace.total).toBe(before + 300);
    expect(await search(copy, 300, 2)).toEqual(inPlace);
  });

  it('spends exactly the requested simulations and reports a distribution', async () => {
    const { root } = await bestMove(ticTacToe, '', 200);
    expect(root.totalVisits).toBe(200);
    const policy = visitPolicy(ticTacToe, root);
    expect(policy.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('self-play labels each position with the final result for its player to move', async () => {
    const rng = createRng(3);
    const games: { value: number; searchValue: number; legal: Uint8Array }[][] = [];
    await playSelfplayGames({
      game: ticTacToe,
      evaluator: new RolloutLeafEvaluator(ticTacToe, rng),
      episodes: 6,
      sims: 16,
      tempThreshold: 9,
      openingPlies: 0,
      parallel: 3,
      params: GAME_SPECS.tictactoe.search,
      rng,
      onGame: (p) => void games.push(p),
    });
    expect(games).toHaveLength(6);
    for (const positions of games) {
      const last = positions[positions.length - 1]!;
      // The last mover either won (value +1 for them) or drew.
      expect([0, 1]).toContain(last.value);
      for (let i = 1; i < positions.length; i++) expect(positions[i]!.value).toBe(-positions[i - 1]!.value || 0);
      for (const p of positions) expect(Math.abs(p.searchValue)).toBeLessThanOrEqual(1);
    }
    // With rollouts, the search already sees most last-move wins: its value agrees with the result there.
    const lastWins = games.map((g) => g[g.length - 1]!).filter((p) => p.value === 1);
    expect(lastWins.length).toBeGreaterThan(0);
    expect(lastWins.reduce((s, p) => s + p.searchValue, 0) / lastWins.length).toBeGreaterThan(0.3);
  });
  it('opens games with 0 to N random plies, not searched and not trained on, and the records say how long the opening was', async () => {
    const rng = createRng(11);
    const openings: number[] = [];
    const firstMoves = new Set<string>();
    await playSelfplayGames({
      game: connect4,
      evaluator: new RolloutLeafEvaluator(connect4, rng),
      episodes: 60,
      sims: 8,
      tempThreshold: 0,
      openingPlies: 4,
      parallel: 12,
      params: GAME_SPECS.connect4.search,
      rng,
      recordGames: 60,
      onGame: (positions, record) => {
        const r = record!;
        openings.push(r.opening);
        // Every searched ply is a training position; the opening's plies are neither.
        expect(positions).toHaveLength(r.moves.length - r.opening);
        expect(r.search.slice(0, r.opening)).toEqual(new Array(r.opening).fill(null));
        expect(r.search.slice(r.opening).every((s) => s !== null)).toBe(true);
        // The game replays from its moves, opening included.
        expect(connect4.outcome(connect4.parse(r.moves.join('')))).not.toBeNull();
        firstMoves.add(r.moves.slice(0, 2).join(''));
      },
    });
    expect(openings).toHaveLength(60);
    expect(Math.min(...openings)).toBe(0);
    expect(Math.max(...openings)).toBe(4);
    expect(new Set(openings).size).toBe(5);
    expect(firstMoves.size).toBeGreaterThan(15);
  });
  it('an opening never ends the game: with more random plies than a game lasts, every game still has searched moves', async () => {
    const rng = createRng(12);
    let games = 0;
    await playSelfplayGames({
      game: ticTacToe,
      evaluator: new RolloutLeafEvaluator(ticTacToe, rng),
      episodes: 40,
      sims: 4,
      tempThreshold: 0,
      openingPlies: 9,
      parallel: 8,
      params: GAME_SPECS.tictactoe.search,
      rng,
      recordGames: 40,
      onGame: (positions, record) => {
        games++;
        expect(record!.opening).toBeLessThanOrEqual(8);
        expect(positions.length).toBeGreaterThanOrEqual(1);
        expect(record!.moves.length).toBe(record!.opening + positions.length);
      },
    });
    expect(games).toBe(40);
  });
  it('with a playout cap, a share of the moves is searched in full and trained on; the rest get a fast search and still finish the game', async () => {
    const play = async (fullSearchShare: number) => {
      const rng = createRng(8);
      const rollouts = new RolloutLeafEvaluator(connect4, rng);
      let evaluations = 0;
      const counting = {
        description: rollouts.description,
        evaluate: (states: readonly unknown[]) => {
          evaluations += states.length;
          return rollouts.evaluate(states);
        },
      };
      let positions = 0;
      let plies = 0;
      await playSelfplayGames({
        game: connect4,
        evaluator: counting,
        episodes: 24,
        sims: 40,
        tempThreshold: 42,
        openingPlies: 0,
        parallel: 8,
        params: { ...GAME_SPECS.connect4.search, fullSearchShare, fastSearchShare: 0.1 },
        rng,
        recordGames: 24,
        onGame: (p, record) => {
          positions += p.length;
          plies += record!.moves.length;
          for (const position of p) expect(position.policy.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        },
      });
      return { positions, plies, evaluationsPerPly: evaluations / plies };
    };
    const full = await play(1);
    const capped = await play(0.25);
    expect(full.positions).toBe(full.plies);
    expect(capped.positions / capped.plies).toBeGreaterThan(0.15);
    expect(capped.positions / capped.plies).toBeLessThan(0.35);
    // About 0.25 * 40 + 0.75 * 4 evaluations a move against 40 (fewer where the tree is reused).
    expect(capped.evaluationsPerPly).toBeLessThan(0.5 * full.evaluationsPerPly);
  });
});

describe('arena', () => {
  it('opens each pair of games with the same random moves and swaps colours, so deterministic players still play distinct games', async () => {
    // Both players always drop in the leftmost open column: every difference comes from the openings.
    const leftmost = { kind: 'move' as const, choose: (state: unknown) => connect4.legalActions(state as never)[0]! };
    const games: { index: number; aFirst: boolean; moves: string; result: string; opening: number }[] = [];
    const totals = await playArena({
      game: connect4,
      a: leftmost,
      b: leftmost,
      games: 40,
      sims: 1,
      parallel: 8,
      temperature: 0,
      openingPlies: 3,
      params: GAME_SPECS.connect4.search,
      rng: createRng(5),
      onGame: (g) => games.push({ ...g, moves: g.moves.join('') }),
    });
    expect(totals.wins + totals.draws + totals.losses).toBe(40);
    games.sort((x, y) => x.index - y.index);
    for (let pair = 0; pair < 20; pair++) {
      const [first, second] = [games[2 * pair]!, games[2 * pair + 1]!];
      expect(first.aFirst).toBe(true);
      expect(second.aFirst).toBe(false);
      expect(first.moves.slice(0, 3)).toBe(second.moves.slice(0, 3));
      // Same players from the same opening: the same game, with the result seen from the other side.
      expect(first.moves).toBe(second.moves);
      expect(first.result).toBe(second.result === 'win' ? 'loss' : second.result === 'loss' ? 'win' : 'draw');
    }
    expect(new Set(games.map((g) => g.moves.slice(0, 3))).size).toBeGreaterThan(15);
    expect(games.every((g) => g.opening === 3)).toBe(true);
  });

  it("records each searched move: per action visits summing to the simulations, priors summing to 1, the mover's value", async () => {
    const searcher = { kind: 'search' as const, evaluator: new RolloutLeafEvaluator(connect4, createRng(2)) };
    const records: ArenaGame[] = [];
    await playArena({
      game: connect4,
      a: searcher,
      b: randomPlayer(connect4),
      games: 2,
      sims: 24,
      parallel: 2,
      temperature: 0,
      openingPlies: 2,
      params: GAME_SPECS.connect4.search,
      rng: createRng(3),
      onGame: (g) => records.push(g),
    });
    for (const game of records) {
      expect(game.search).toHaveLength(game.moves.length);
      for (const [ply, root] of game.search.entries()) {
        const searcherMoved = ply >= game.opening && (ply % 2 === 0) === game.aFirst;
        if (!searcherMoved) {
          expect(root).toBeNull();
          continue;
        }
        expect(root!.visits.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(23);
        expect(root!.prior.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 2);
        // The move played is the most visited.
        expect(root!.visits[game.moves[ply]! - 1]).toBe(Math.max(...root!.visits));
        expect(Math.abs(root!.value)).toBeLessThanOrEqual(1);
      }
    }
  });
});
