/**
 * PUCT Monte Carlo tree search, run for many trees at once: each round picks
 * one leaf per tree, evaluates all the leaves of one evaluator in a single
 * batch, and backs the values up. Depends on the Game interface and leaf
 * evaluators only.
 */
import type { Game, SearchSettings } from '../../shared/games/types';
import { dirichlet, type Rng } from '../../shared/random';
import type { LeafEvaluator } from './leafEvaluator';

export class SearchNode {
  readonly legal: number[];
  // Plain arrays: a node is made per evaluated leaf, and small typed arrays cost far more to allocate.
  readonly priors: number[];
  readonly visits: number[];
  readonly valueSum: number[];
  readonly children: (SearchNode | null)[];
  totalVisits = 0;
  expanded = false;
  /** null while the game goes on; else the outcome for the player to move here. */
  readonly terminal: -1 | 0 | null;

  constructor(
    readonly state: unknown,
    game: Game<any>,
  ) {
    this.terminal = game.outcome(state);
    this.legal = this.terminal === null ? game.legalActions(state) : [];
    const k = this.legal.length;
    this.priors = new Array<number>(k).fill(0);
    this.visits = new Array<number>(k).fill(0);
    this.valueSum = new Array<number>(k).fill(0);
    this.children = new Array(k).fill(null);
  }

  /** Mean value of the root position for its player to move, from the visits so far. */
  rootValue(): number {
    let n = 0;
    let w = 0;
    for (let i = 0; i < this.legal.length; i++) {
      n += this.visits[i]!;
      w += this.valueSum[i]!;
    }
    return n > 0 ? w / n : 0;
  }
}

export interface SearchTask {
  root: SearchNode;
  evaluator: LeafEvaluator;
  /** Simulations to add to this root. */
  sims: number;
  /** Mix Dirichlet noise into this root's priors once it is expanded. */
  noise: boolean;
}

function expand(node: SearchNode, logits: Float32Array, offset: number): void {
  let max = -Infinity;
  for (const a of node.legal) max = Math.max(max, logits[offset + a]!);
  let sum = 0;
  for (let i = 0; i < node.legal.length; i++) sum += node.priors[i] = Math.exp(logits[offset + node.legal[i]!]! - max);
  for (let i = 0; i < node.legal.length; i++) node.priors[i]! /= sum;
  node.expanded = true;
}

function addNoise(node: SearchNode, params: SearchSettings, rng: Rng): void {
  if (node.legal.length < 2 || params.noiseFraction <= 0) return;
  const noise = dirichlet(rng, params.dirichletAlpha, node.legal.length);
  for (let i = 0; i < node.legal.length; i++) node.priors[i] = (1 - params.noiseFraction) * node.priors[i]! + params.noiseFraction * noise[i]!;
}

function selectChild(node: SearchNode, cPuct: number): number {
  const sqrtN = Math.sqrt(Math.max(1, node.totalVisits));
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < node.legal.length; i++) {
    const n = node.visits[i]!;
    const q = n > 0 ? node.valueSum[i]! / n : 0;
    const score = q + (cPuct * node.priors[i]! * sqrtN) / (1 + n);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

/** The path of the current simulation of one tree, kept in reused arrays (no allocation per step). */
class Path {
  nodes: SearchNode[] = [];
  indices: number[] = [];
  length = 0;
  leaf: SearchNode | null = null;

  push(node: SearchNode, index: number): void {
    this.nodes[this.length] = node;
    this.indices[this.length] = index;
    this.length++;
  }

  /** Back up a value for the player to move at the leaf. */
  backup(leafValue: number): void {
    let v = leafValue;
    for (let i = this.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      const index = this.indices[i]!;
      v = -v;
      node.visits[index]! += 1;
      node.valueSum[index]! += v;
      node.totalVisits += 1;
    }
  }
}

async function evaluateGroups(game: Game<any>, pending: Map<LeafEvaluator, Path[]>): Promise<void> {
  for (const [evaluator, paths] of pending) {
    const states = new Array(paths.length);
    for (let i = 0; i < paths.length; i++) states[i] = paths[i]!.leaf!.state;
    const { logits, values } = await evaluator.evaluate(states);
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      if (!path.leaf!.expanded) expand(path.leaf!, logits, i * game.actions);
      path.backup(values[i]!);
    }
  }
}

/** Runs every task's simulations, batching leaf evaluations per evaluator. */
export async function searchMany(game: Game<any>, tasks: SearchTask[], params: SearchSettings, rng: Rng): Promise<void> {
  const paths = tasks.map(() => new Path());
  // Roots first: their priors are needed (and noised) before any simulation.
  const roots = new Map<LeafEvaluator, Path[]>();
  tasks.forEach((task, t) => {
    if (task.root.expanded || task.root.terminal !== null) return;
    const path = paths[t]!;
    path.length = 0;
    path.leaf = task.root;
    const list = roots.get(task.evaluator) ?? [];
    list.push(path);
    roots.set(task.evaluator, list);
  });
  await evaluateGroups(game, roots);
  for (const task of tasks) if (task.noise) addNoise(task.root, params, rng);

  const remaining = tasks.map((t) => (t.root.terminal === null ? t.sims : 0));
  const pending = new Map<LeafEvaluator, Path[]>();
  for (;;) {
    for (const list of pending.values()) list.length = 0;
    let any = false;
    for (let t = 0; t < tasks.length; t++) {
      if (remaining[t]! <= 0) continue;
      any = true;
      remaining[t]!--;
      const task = tasks[t]!;
      const path = paths[t]!;
      path.length = 0;
      let node = task.root;
      for (;;) {
        const index = selectChild(node, params.cPuct);
        path.push(node, index);
        let child = node.children[index];
        if (!child) {
          child = new SearchNode(game.play(node.state, node.legal[index]!), game);
          node.children[index] = child;
        }
        node = child;
        if (node.terminal !== null || !node.expanded) break;
      }
      if (node.terminal !== null) {
        path.backup(node.terminal);
        continue;
      }
      path.leaf = node;
      let list = pending.get(task.evaluator);
      if (!list) {
        list = [];
        pending.set(task.evaluator, list);
      }
      list.push(path);
    }
    if (!any) return;
    for (const [evaluator, list] of pending) if (list.length === 0) pending.delete(evaluator);
    await evaluateGroups(game, pending);
  }
}

/** Visit counts of the root as a distribution over all actions. */
export function visitPolicy(game: Game<any>, root: SearchNode): Float32Array {
  const policy = new Float32Array(game.actions);
  let total = 0;
  for (let i = 0; i < root.legal.length; i++) total += root.visits[i]!;
  for (let i = 0; i < root.legal.length; i++) policy[root.legal[i]!] = total > 0 ? root.visits[i]! / total : root.priors[i]!;
  return policy;
}

/** Index into root.legal: proportional to visits (temperature 1) or the most visited (temperature 0). */
export function chooseMove(root: SearchNode, temperature: number, rng: Rng): number {
  const k = root.legal.length;
  if (temperature > 0) {
    let total = 0;
    for (let i = 0; i < k; i++) total += root.visits[i]! ** (1 / temperature);
    if (total > 0) {
      let r = rng() * total;
      for (let i = 0; i < k; i++) {
        r -= root.visits[i]! ** (1 / temperature);
        if (r <= 0) return i;
      }
      return k - 1;
    }
  }
  let best = 0;
  for (let i = 1; i < k; i++) {
    const better = root.visits[i]! > root.visits[best]! || (root.visits[i] === root.visits[best] && root.priors[i]! > root.priors[best]!);
    if (better) best = i;
  }
  return best;
}
