/**
 * PUCT Monte Carlo tree search, run for many trees at once: each round picks
 * one leaf per tree, evaluates all the leaves of one evaluator in a single
 * batch, and backs the values up. Depends on the Game interface and leaf
 * evaluators only.
 */
import type { Game, SearchSettings } from '../../shared/games/types';
import { dirichlet, type Rng } from '../../shared/random';
import type { LeafEvaluator } from './leafEvaluator';

// Outside the outcomes -1, 0 and 1 that a terminal node holds.
const NOT_TERMINAL = 2;

/**
 * The nodes of one search tree in flat typed arrays (a node's edges are contiguous), indexed by
 * node and edge ids. A simulation allocates no arrays (with an object and four arrays per node,
 * allocation and garbage collection took a fifth of self-play), and root() empties a tree for
 * reuse: callers hand a finished game's tree to the next, so the arrays grow once.
 */
export class SearchTree {
  readonly states: unknown[] = [];
  /** The node's outcome for its player to move (-1, 0, 1), or NOT_TERMINAL. */
  terminal = new Int8Array(64);
  expanded = new Uint8Array(64);
  totalVisits = new Int32Array(64);
  firstEdge = new Int32Array(64);
  edgeCount = new Int32Array(64);
  nodes = 0;
  action = new Int32Array(256);
  prior = new Float64Array(256);
  visits = new Int32Array(256);
  /** Mean backed-up value of the edge's child for the player choosing the edge (0 while unvisited). */
  meanValue = new Float64Array(256);
  /** The child node's id, or -1 until a simulation first goes there. */
  child = new Int32Array(256);
  edges = 0;

  constructor(readonly game: Game<any>) {}

  /** Empties the tree (its arrays stay allocated, for the next search) and makes `state` its root. */
  root(state: unknown): SearchNode {
    this.clear();
    return new SearchNode(this, this.addNode(state));
  }

  addNode(state: unknown): number {
    const outcome = this.game.outcome(state);
    const legal = outcome === null ? this.game.legalActions(state) : [];
    const id = this.allocateNode(state, legal.length);
    this.terminal[id] = outcome ?? NOT_TERMINAL;
    this.expanded[id] = 0;
    this.totalVisits[id] = 0;
    for (let i = 0; i < legal.length; i++) {
      const e = this.edges++;
      this.action[e] = legal[i]!;
      this.prior[e] = 0;
      this.visits[e] = 0;
      this.meanValue[e] = 0;
      this.child[e] = -1;
    }
    return id;
  }

  /** Empties this tree and copies into it the subtree of `from` under node `top`; returns the copy's root. */
  copyOf(from: SearchTree, top: number): SearchNode {
    this.clear();
    const root = this.copyNode(from, top);
    const pending = [top, root];
    while (pending.length > 0) {
      const copy = pending.pop()!;
      const original = pending.pop()!;
      for (let i = 0; i < from.edgeCount[original]!; i++) {
        const child = from.child[from.firstEdge[original]! + i]!;
        if (child < 0) continue;
        const childCopy = this.copyNode(from, child);
        this.child[this.firstEdge[copy]! + i] = childCopy;
        pending.push(child, childCopy);
      }
    }
    return new SearchNode(this, root);
  }

  /** A copy of one node of `from` and its edges, with no children yet. */
  private copyNode(from: SearchTree, id: number): number {
    const count = from.edgeCount[id]!;
    const copy = this.allocateNode(from.states[id], count);
    this.terminal[copy] = from.terminal[id]!;
    this.expanded[copy] = from.expanded[id]!;
    this.totalVisits[copy] = from.totalVisits[id]!;
    for (let e = from.firstEdge[id]!, end = e + count; e < end; e++) {
      const to = this.edges++;
      this.action[to] = from.action[e]!;
      this.prior[to] = from.prior[e]!;
      this.visits[to] = from.visits[e]!;
      this.meanValue[to] = from.meanValue[e]!;
      this.child[to] = -1;
    }
    return copy;
  }

  private clear(): void {
    this.nodes = 0;
    this.edges = 0;
    this.states.length = 0;
  }

  /** A new node's id, with room for its `edgeCount` edges from `this.edges` on; the caller fills in the rest. */
  private allocateNode(state: unknown, edgeCount: number): number {
    if (this.nodes === this.terminal.length) this.growNodes();
    while (this.edges + edgeCount > this.action.length) this.growEdges();
    const id = this.nodes++;
    this.states[id] = state;
    this.firstEdge[id] = this.edges;
    this.edgeCount[id] = edgeCount;
    return id;
  }

  private growNodes(): void {
    const size = 2 * this.terminal.length;
    this.terminal = grown(this.terminal, new Int8Array(size));
    this.expanded = grown(this.expanded, new Uint8Array(size));
    this.totalVisits = grown(this.totalVisits, new Int32Array(size));
    this.firstEdge = grown(this.firstEdge, new Int32Array(size));
    this.edgeCount = grown(this.edgeCount, new Int32Array(size));
  }

  private growEdges(): void {
    const size = 2 * this.action.length;
    this.action = grown(this.action, new Int32Array(size));
    this.prior = grown(this.prior, new Float64Array(size));
    this.visits = grown(this.visits, new Int32Array(size));
    this.meanValue = grown(this.meanValue, new Float64Array(size));
    this.child = grown(this.child, new Int32Array(size));
  }
}

function grown<T extends Int8Array | Uint8Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from as ArrayLike<number>);
  return to;
}

/**
 * A position in a search tree. child() stays in the same tree; a game keeps the subtree of the
 * move it played by copying it into another tree (SearchTree.copyOf), which leaves the rest
 * behind. The per-child arrays are copies, for reading a finished search.
 */
export class SearchNode {
  constructor(
    readonly tree: SearchTree,
    readonly id: number,
  ) {}

  get state(): unknown {
    return this.tree.states[this.id];
  }

  /** null while the game goes on; else the outcome for the player to move here. */
  get terminal(): -1 | 0 | 1 | null {
    const t = this.tree.terminal[this.id]!;
    return t === NOT_TERMINAL ? null : (t as -1 | 0 | 1);
  }

  /** Simulations that went through this position. */
  get totalVisits(): number {
    return this.tree.totalVisits[this.id]!;
  }

  get expanded(): boolean {
    return this.tree.expanded[this.id] === 1;
  }

  /** Legal actions, in the order of the per-child arrays. */
  get legal(): number[] {
    return this.edgeValues(this.tree.action);
  }

  get priors(): number[] {
    return this.edgeValues(this.tree.prior);
  }

  get visits(): number[] {
    return this.edgeValues(this.tree.visits);
  }

  /** The node of the child at index i (of legal), or null if no simulation went there. */
  child(i: number): SearchNode | null {
    const id = this.tree.child[this.tree.firstEdge[this.id]! + i]!;
    return id < 0 ? null : new SearchNode(this.tree, id);
  }

  /** Mean value of the position for its player to move, from the visits so far. */
  rootValue(): number {
    const { tree } = this;
    let n = 0;
    let w = 0;
    for (let e = tree.firstEdge[this.id]!, end = e + tree.edgeCount[this.id]!; e < end; e++) {
      n += tree.visits[e]!;
      w += tree.meanValue[e]! * tree.visits[e]!;
    }
    return n > 0 ? w / n : 0;
  }

  private edgeValues(values: Int32Array | Float64Array): number[] {
    const first = this.tree.firstEdge[this.id]!;
    return Array.from(values.subarray(first, first + this.tree.edgeCount[this.id]!));
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

function expand(tree: SearchTree, node: number, logits: Float32Array, offset: number): void {
  const first = tree.firstEdge[node]!;
  const end = first + tree.edgeCount[node]!;
  let max = -Infinity;
  for (let e = first; e < end; e++) max = Math.max(max, logits[offset + tree.action[e]!]!);
  let sum = 0;
  for (let e = first; e < end; e++) sum += tree.prior[e] = Math.exp(logits[offset + tree.action[e]!]! - max);
  for (let e = first; e < end; e++) tree.prior[e]! /= sum;
  tree.expanded[node] = 1;
}

function addNoise(root: SearchNode, params: SearchSettings, rng: Rng): void {
  const { tree } = root;
  const count = tree.edgeCount[root.id]!;
  if (count < 2 || params.noiseFraction <= 0) return;
  const noise = dirichlet(rng, params.dirichletAlpha, count);
  const first = tree.firstEdge[root.id]!;
  for (let i = 0; i < count; i++) tree.prior[first + i] = (1 - params.noiseFraction) * tree.prior[first + i]! + params.noiseFraction * noise[i]!;
}

/** The edge that maximises Q + U. */
function selectEdge(tree: SearchTree, node: number, cPuct: number): number {
  const explore = cPuct * Math.sqrt(Math.max(1, tree.totalVisits[node]!));
  const { prior, visits, meanValue } = tree;
  const first = tree.firstEdge[node]!;
  const end = first + tree.edgeCount[node]!;
  let best = first;
  let bestScore = -Infinity;
  for (let e = first; e < end; e++) {
    const score = meanValue[e]! + (explore * prior[e]!) / (1 + visits[e]!);
    if (score > bestScore) {
      bestScore = score;
      best = e;
    }
  }
  return best;
}

/** The path of the current simulation of one tree, kept in reused arrays (no allocation per step). */
class Path {
  readonly nodes: number[] = [];
  readonly edges: number[] = [];
  length = 0;
  leaf = -1;

  constructor(readonly tree: SearchTree) {}

  push(node: number, edge: number): void {
    this.nodes[this.length] = node;
    this.edges[this.length] = edge;
    this.length++;
  }

  /** Back up a value for the player to move at the leaf. */
  backup(leafValue: number): void {
    const { tree } = this;
    let v = leafValue;
    for (let i = this.length - 1; i >= 0; i--) {
      const e = this.edges[i]!;
      v = -v;
      const n = ++tree.visits[e]!;
      tree.meanValue[e]! += (v - tree.meanValue[e]!) / n;
      tree.totalVisits[this.nodes[i]!]! += 1;
    }
  }
}

async function evaluateGroups(game: Game<any>, pending: Map<LeafEvaluator, Path[]>): Promise<void> {
  for (const [evaluator, paths] of pending) {
    const states = new Array(paths.length);
    for (let i = 0; i < paths.length; i++) states[i] = paths[i]!.tree.states[paths[i]!.leaf];
    const { logits, values } = await evaluator.evaluate(states);
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      if (path.tree.expanded[path.leaf] === 0) expand(path.tree, path.leaf, logits, i * game.actions);
      path.backup(values[i]!);
    }
  }
}

/** Runs every task's simulations, batching leaf evaluations per evaluator. */
export async function searchMany(game: Game<any>, tasks: SearchTask[], params: SearchSettings, rng: Rng): Promise<void> {
  const paths = tasks.map((task) => new Path(task.root.tree));
  // Roots first: their priors are needed (and noised) before any simulation.
  const roots = new Map<LeafEvaluator, Path[]>();
  tasks.forEach((task, t) => {
    if (task.root.expanded || task.root.terminal !== null) return;
    const path = paths[t]!;
    path.length = 0;
    path.leaf = task.root.id;
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
      const { tree } = path;
      path.length = 0;
      let node = task.root.id;
      for (;;) {
        const edge = selectEdge(tree, node, params.cPuct);
        path.push(node, edge);
        let child = tree.child[edge]!;
        if (child < 0) {
          child = tree.addNode(game.play(tree.states[node], tree.action[edge]!));
          tree.child[edge] = child;
        }
        node = child;
        if (tree.terminal[node] !== NOT_TERMINAL || tree.expanded[node] === 0) break;
      }
      if (tree.terminal[node] !== NOT_TERMINAL) {
        path.backup(tree.terminal[node]!);
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

/** Visit counts of the root as a distribution over all actions (the priors before any visit). */
export function visitPolicy(game: Game<any>, root: SearchNode): Float32Array {
  const { legal, visits, priors } = root;
  const policy = new Float32Array(game.actions);
  let total = 0;
  for (let i = 0; i < legal.length; i++) total += visits[i]!;
  for (let i = 0; i < legal.length; i++) policy[legal[i]!] = total > 0 ? visits[i]! / total : priors[i]!;
  return policy;
}

/** Index into root.legal: proportional to visits (temperature 1) or the most visited (temperature 0). */
export function chooseMove(root: SearchNode, temperature: number, rng: Rng): number {
  const { visits, priors } = root;
  const k = visits.length;
  if (temperature > 0) {
    let total = 0;
    for (let i = 0; i < k; i++) total += visits[i]! ** (1 / temperature);
    if (total > 0) {
      let r = rng() * total;
      for (let i = 0; i < k; i++) {
        r -= visits[i]! ** (1 / temperature);
        if (r <= 0) return i;
      }
      return k - 1;
    }
  }
  let best = 0;
  for (let i = 1; i < k; i++) {
    const better = visits[i]! > visits[best]! || (visits[i] === visits[best] && priors[i]! > priors[best]!);
    if (better) best = i;
  }
  return best;
}
