/**
 * A head-to-head match between two players of a run, started by hand: a
 * number of games, or until a sequential probability ratio test decides
 * (then the arena is stopped early). Progress is pushed as match.updated;
 * the games played, also when stopped, are journaled as games.rated and so
 * feed the ratings, and kept as records.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ApiError } from '../../../shared/api';
import type { UnstampedEvent } from '../../../shared/events';
import type { GameDeclaration } from '../../../shared/protocol';
import { matchRequestProblem, sprt, totals, type MatchRequest, type MatchState, type WinDrawLoss } from '../../../shared/matches';
import { parsePlayerId } from '../../../shared/players';
import type { PhaseContext } from '../phaseContext';
import { writeGameRecords } from '../state/gameRecordsStore';
import type { RunPaths } from '../state/runPaths';
import { arenaPlayerSpec, matchSeed, playMatch, type ArenaPlayerSpec } from './arenaRunner';

/** match.updated is pushed at most this often while games come in. */
const UPDATE_INTERVAL_MS = 200;

export class HeadToHeadMatch {
  readonly id = randomUUID().slice(0, 8);
  state: MatchState;
  readonly done: Promise<void>;
  private readonly controller = new AbortController();

  constructor(
    ctx: PhaseContext,
    request: MatchRequest,
    players: { a: ArenaPlayerSpec; b: ArenaPlayerSpec },
    private readonly publish: (state: MatchState) => void,
  ) {
    const empty = (): WinDrawLoss => ({ wins: 0, draws: 0, losses: 0 });
    this.state = { id: this.id, run: ctx.paths.name, request, status: 'running', a_first: empty(), b_first: empty(), started_at: new Date().toISOString(), decision: null };
    this.done = this.play(ctx, players);
  }

  private update(patch: Partial<MatchState>): void {
    this.state = { ...this.state, ...patch };
    this.publish(this.state);
  }

  private async play(ctx: PhaseContext, players: { a: ArenaPlayerSpec; b: ArenaPlayerSpec }): Promise<void> {
    const { request } = this.state;
    const name = `match-${this.id}`;
    let lastUpdate = 0;
    try {
      const outcome = await playMatch(ctx, {
        name,
        kind: 'match',
        a: players.a,
        b: players.b,
        games: request.games,
        sims: ctx.config.evalSims,
        seed: matchSeed(ctx.config.seed, ctx.iteration, Number.parseInt(this.id, 16) % 100_000),
        signal: this.controller.signal,
        onGame: (counts) => {
          const decision = request.sprt ? sprt(totals(counts.a_first, counts.b_first), request.sprt).decision : null;
          this.state = { ...this.state, a_first: { ...counts.a_first }, b_first: { ...counts.b_first }, decision };
          if (decision) this.controller.abort();
          const now = Date.now();
          if (now - lastUpdate >= UPDATE_INTERVAL_MS || decision) {
            lastUpdate = now;
            this.publish(this.state);
          }
        },
      });
      const file = outcome.records.length ? await writeGameRecords(ctx.paths, ctx.iteration, `${name}.jsonl`, outcome.records) : undefined;
      const all = totals(outcome.rated.a_first, outcome.rated.b_first);
      if (all.wins + all.draws + all.losses > 0) await ctx.emit({ type: 'games.rated', games: { iteration: null, ...outcome.rated, ...(file ? { file } : {}) } });
      const stoppedByUser = this.controller.signal.aborted && this.state.decision === null;
      this.update({ a_first: outcome.rated.a_first, b_first: outcome.rated.b_first, status: stoppedByUser ? 'stopped' : 'completed' });
    } catch (error) {
      this.update({ status: 'failed', error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    }
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}

/** The head-to-head matches started on one run through one handle, running and finished. */
export class HeadToHeadMatches {
  private readonly matches = new Map<string, HeadToHeadMatch>();

  constructor(
    private readonly paths: RunPaths,
    private readonly game: () => GameDeclaration,
    /** A phase context for the match's processes: its logs and records sit with `iteration`. */
    private readonly context: (iteration: number) => PhaseContext,
    private readonly emit: (event: UnstampedEvent) => Promise<void>,
  ) {}

  /** Starts a match in the background; its games feed the ratings when it ends. */
  start(request: MatchRequest): MatchState {
    const problem = matchRequestProblem(request, (id) => this.knownPlayer(id));
    if (problem) throw new ApiError({ code: 'bad_request', message: problem });
    const models = [request.a, request.b].map(parsePlayerId).flatMap((p) => (p?.kind === 'model' ? [p.iteration] : []));
    // Its logs and records sit with the newest model's iteration.
    const match = new HeadToHeadMatch(
      this.context(Math.max(...models, 1)),
      request,
      { a: arenaPlayerSpec(this.paths, request.a), b: arenaPlayerSpec(this.paths, request.b) },
      (state) => void this.emit({ type: 'match.updated', match: state }).catch(() => {}),
    );
    this.matches.set(match.id, match);
    return match.state;
  }

  async stop(id: string): Promise<MatchState> {
    const match = this.matches.get(id);
    if (!match) throw new ApiError({ code: 'not_found', message: `no match ${JSON.stringify(id).slice(0, 40)} in run "${this.paths.name}"` });
    await match.stop();
    return match.state;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.matches.values()].map((m) => m.stop()));
  }

  get running(): boolean {
    return [...this.matches.values()].some((m) => m.state.status === 'running');
  }

  /** Resolves when every match started so far has ended. */
  async done(): Promise<void> {
    await Promise.all([...this.matches.values()].map((m) => m.done));
  }

  get states(): MatchState[] {
    return [...this.matches.values()].map((m) => m.state);
  }

  /** Whether a player id names something this run can play: a model it trained, or a reference player of its game. */
  private knownPlayer(id: string): boolean {
    const player = parsePlayerId(id);
    if (!player) return false;
    if (player.kind === 'model') return existsSync(this.paths.model(player.iteration));
    if (player.kind === 'random') return true;
    return (this.game().capabilities?.references ?? []).some((r) => r.player === player.spec);
  }
}
