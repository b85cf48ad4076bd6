/** Every path of a run directory (docs/run-directory.md). */
import { join, resolve } from 'node:path';

const pad = (i: number) => String(i).padStart(4, '0');

export class RunPaths {
  readonly root: string;
  constructor(
    readonly runsDir: string,
    readonly name: string,
  ) {
    this.root = resolve(runsDir, name);
  }
  get runJson() {
    return join(this.root, 'run.json');
  }
  get events() {
    return join(this.root, 'events.jsonl');
  }
  get loopStats() {
    return join(this.root, 'loop_stats.json');
  }
  get evalStats() {
    return join(this.root, 'eval_stats.json');
  }
  get stats() {
    return join(this.root, 'stats.json');
  }
  get bestModelJson() {
    return join(this.root, 'best_model.json');
  }
  get ratingsJson() {
    return join(this.root, 'ratings.json');
  }
  get lock() {
    return join(this.root, 'run.lock');
  }
  get requestsDir() {
    return join(this.root, 'requests');
  }
  get modelsDir() {
    return join(this.root, 'models');
  }
  model(iteration: number) {
    return join(this.modelsDir, `iter-${pad(iteration)}.onnx`);
  }
  get latestModel() {
    return join(this.modelsDir, 'latest.onnx');
  }
  get bestModel() {
    return join(this.modelsDir, 'best.onnx');
  }
  get replayRoot() {
    return join(this.root, 'replay');
  }
  replayDir(iteration: number) {
    return join(this.replayRoot, `iter-${pad(iteration)}`);
  }
  /** A branch's copy of its parent's replay of `iteration` (the parent's numbering). */
  parentReplayDir(iteration: number) {
    return join(this.replayRoot, `parent-iter-${pad(iteration)}`);
  }
  get gamesRoot() {
    return join(this.root, 'games');
  }
  gamesDir(iteration: number) {
    return join(this.gamesRoot, `iter-${pad(iteration)}`);
  }
  logsDir(iteration: number) {
    return join(this.root, 'logs', `iter-${pad(iteration)}`);
  }
  log(iteration: number, processName: string) {
    return join(this.logsDir(iteration), `${processName}.log`);
  }
}
