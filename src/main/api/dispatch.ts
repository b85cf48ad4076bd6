/**
 * Checks a request's method and arguments against the API contract and calls
 * the service. Every request gets exactly one answer: a result or an ApiErrorBody.
 * Serves the WebSocket server and Electron IPC alike.
 */
import * as v from 'valibot';
import { API_METHODS, ApiError, type ApiErrorBody, type ApiMethod, type LoopdeckApi } from '../../shared/api';
import { describeIssue, quote } from '../../shared/schemaIssues';
import { MAX_POSITIONS } from '../../shared/api';

const name = v.pipe(v.string('a text'), v.maxLength(200, 'a text of at most 200 characters'));
/** A position in a game's notation: a long game with separators runs to a few thousand characters. */
const position = v.pipe(v.string('a text'), v.maxLength(20_000, 'a position of at most 20000 characters'));
const int = v.pipe(v.number('a number'), v.integer('a whole number'));
const object = v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'an object');

/** Each method's arguments, by name, as a web client or the renderer sends them; the service checks their values further. */
const ARGS: { [M in ApiMethod]: [string, v.GenericSchema][] } = {
  runsFolder: [],
  listRuns: [],
  getRun: [['run', name]],
  listExperiments: [],
  startScale: [
    ['scale', name],
    ['runs', v.pipe(v.array(name, 'a list of run names'), v.maxLength(100, 'a list of at most 100 runs'))],
    ['games', int],
  ],
  getScale: [['scale', name]],
  startExperiment: [['experiment', object]],
  stopExperiment: [['experiment', name]],
  resumeExperiment: [['experiment', name]],
  getIterations: [
    ['run', name],
    ['from', int],
    ['to', int],
  ],
  diskUsage: [['run', name]],
  startRun: [['config', object]],
  resumeRun: [['run', name]],
  stopRun: [['run', name]],
  promote: [
    ['run', name],
    ['iteration', int],
    ['seen best', v.nullable(int)],
  ],
  revert: [
    ['run', name],
    ['seen best', v.nullable(int)],
  ],
  readLog: [
    ['run', name],
    ['iteration', int],
    ['process', name],
    ['offset', int],
  ],
  validateConfig: [['config', object]],
  listGames: [
    ['run', name],
    ['iteration', int],
  ],
  readGames: [
    ['run', name],
    ['iteration', int],
    ['file', name],
  ],
  showPositions: [
    ['run', name],
    ['positions', v.pipe(v.array(position, 'a list of positions'), v.maxLength(MAX_POSITIONS, `a list of at most ${MAX_POSITIONS} positions`))],
  ],
  engineGames: [['actor command', v.nullable(v.array(v.string('a text'), 'a list of strings, the program first'))]],
  bestMove: [
    ['run', name],
    ['iteration', int],
    ['position', position],
    ['sims', int],
  ],
  startMatch: [
    ['run', name],
    ['match', object],
  ],
  stopMatch: [
    ['run', name],
    ['match id', name],
  ],
  changeSettings: [
    ['run', name],
    ['changes', object],
  ],
  forkRun: [
    ['run', name],
    ['iteration', int],
    ['branch', object],
  ],
};

/** The arguments' problem, naming the argument, or null. */
function argumentsProblem(method: ApiMethod, args: unknown): string | null {
  const expected = ARGS[method];
  const signature = `${method}(${expected.map(([n]) => n).join(', ')})`;
  if (!Array.isArray(args) || args.length !== expected.length) return `${signature} takes ${expected.length} argument${expected.length === 1 ? '' : 's'}; got ${quote(args)}`;
  for (const [i, [argName, schema]] of expected.entries()) {
    const result = v.safeParse(schema, args[i]);
    if (!result.success) return `${signature}: ${describeIssue(`the ${argName}`, result.issues)}`;
  }
  return null;
}

export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && (API_METHODS as readonly string[]).includes(method);
}

export async function dispatch(api: LoopdeckApi, method: unknown, args: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiErrorBody }> {
  try {
    if (!isApiMethod(method)) throw new ApiError({ code: 'bad_request', message: `unknown method ${quote(method)}; methods: ${API_METHODS.join(', ')}` });
    const problem = argumentsProblem(method, args);
    if (problem) throw new ApiError({ code: 'bad_request', message: problem });
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, result: await fn.apply(api, args as unknown[]) };
  } catch (error) {
    return { ok: false, error: ApiError.fromUnknown(error).toBody() };
  }
}
