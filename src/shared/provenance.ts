import type { EngineVersion } from './protocol';

/** One engine command of a run: what it answered to `version` (absent in runs made before it was asked), else why not. */
export interface EngineRecord {
  role: 'actor' | 'trainer' | 'arena';
  command: string[];
  /** For each argument of the command that is a file (a script, a binary), the sha256 of its contents. */
  files: { path: string; sha256: string }[];
  version?: EngineVersion | null;
  version_error?: string;
}

/** What a run was made with, so that it can be told apart and made again (run.json `provenance`, issue 29). */
export interface Provenance {
  loopdeck: { version: string; commit: string | null; dirty: boolean | null };
  node: string;
  onnxruntime: string | null;
  machine: { cpu: string; cores: number; memory_gb: number; os: string; host: string };
  engines: EngineRecord[];
  executor: string;
  /** Every seed of the run follows from this one (actors, arenas and matches derive theirs from it, the iteration and the attempt). */
  seed: number;
}

/** One line for people: "Loopdeck 0.1.0 at 1e1be02 (uncommitted changes), Node v20.20.2, ONNX Runtime 1.22.0, 2 x Intel Xeon, 24 GB, linux". */
export function provenanceLine(p: Provenance): string {
  const commit = p.loopdeck.commit ? ` at ${p.loopdeck.commit.slice(0, 7)}${p.loopdeck.dirty ? ' (uncommitted changes)' : ''}` : '';
  return `Loopdeck ${p.loopdeck.version}${commit}, Node ${p.node}${p.onnxruntime ? `, ONNX Runtime ${p.onnxruntime}` : ''}, ${p.machine.cores} x ${p.machine.cpu}, ${p.machine.memory_gb} GB, ${p.machine.os} on ${p.machine.host}, executor ${p.executor}, seed ${p.seed}`;
}

/** An engine's answer to `version` in one line: "loopdeck_azg 0.1.0 (python 3.11.2, numpy 1.24.2, commit 1a2b3c4)". */
export function engineVersionLine(version: EngineVersion): string {
  const details = Object.entries(version.details ?? {}).map(([name, value]) => `${name} ${value}`);
  return `${version.name} ${version.version}${details.length ? ` (${details.join(', ')})` : ''}`;
}
