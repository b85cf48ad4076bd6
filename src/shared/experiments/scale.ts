/** One rating scale across runs (src/main/orchestrator/experiments/crossRunScale.ts plays and fits it). */

export interface ScaleReport {
  name: string;
  game: string;
  /** Each run's best model on the one scale (random = 0). */
  runs: { run: string; best: number; elo: number | null; low: number | null; high: number | null }[];
  references: { id: string; elo: number | null; low: number | null; high: number | null }[];
  /** Each pair of runs: connected by games between their models, or only through the references. */
  pairs: { a: string; b: string; link: 'games' | 'references' | 'none' }[];
  /** Games the scale itself played (its matches), of all the fit used. */
  games: number;
  fitGames: number;
  /** Matches in its schedule, and those played so far. */
  matches: number;
  played_matches: number;
}

/** A scale as a server serves it: the fit of the games played so far, and whether it is still playing. */
export interface ScaleState {
  report: ScaleReport;
  running: boolean;
  /** Why its play stopped, if it failed. */
  error: string | null;
}
