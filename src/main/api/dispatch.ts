/**
 * Checks a request's method and arguments against the API contract and calls
 * the service. Every request gets exactly one answer: a result or an ApiErrorBody.
 */
import { API_METHODS, ApiError, type ApiErrorBody, type ApiMethod, type LoopdeckApi } from '../../shared/api';

type ArgKind = 'string' | 'int' | 'object';

const ARGS: Record<ApiMethod, ArgKind[]> = {
  runsFolder: [],
  listRuns: [],
  getRun: ['string'],
  startRun: ['object'],
  resumeRun: ['string'],
  stopRun: ['string'],
  promote: ['string', 'int'],
  revert: ['string'],
  readLog: ['string', 'int', 'string', 'int'],
  validateConfig: ['object'],
  listGames: ['string', 'int'],
  readGames: ['string', 'int', 'string'],
  bestMove: ['string', 'int', 'string', 'int'],
  startMatch: ['string', 'object'],
  stopMatch: ['string', 'string'],
  changeSettings: ['string', 'object'],
  forkRun: ['string', 'int', 'object'],
};

function fits(kind: ArgKind, value: unknown): boolean {
  if (kind === 'string') return typeof value === 'string';
  if (kind === 'int') return Number.isInteger(value);
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Arguments as an error message quotes them: JSON cut short, or their shape when they do not serialise. */
function echo(args: unknown): string {
  try {
    return (JSON.stringify(args) ?? String(args)).slice(0, 200);
  } catch {
    return Array.isArray(args) ? `an array of ${args.length} items that does not serialise` : typeof args;
  }
}

export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && (API_METHODS as readonly string[]).includes(method);
}

export async function dispatch(api: LoopdeckApi, method: unknown, args: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiErrorBody }> {
  try {
    if (!isApiMethod(method)) throw new ApiError({ code: 'bad_request', message: `unknown method ${echo(method)}; methods: ${API_METHODS.join(', ')}` });
    const expected = ARGS[method];
    if (!Array.isArray(args) || args.length !== expected.length || !expected.every((kind, i) => fits(kind, args[i])))
      throw new ApiError({ code: 'bad_request', message: `${method} takes (${expected.join(', ')}); got ${echo(args)}` });
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, result: await fn.apply(api, args) };
  } catch (error) {
    return { ok: false, error: ApiError.fromUnknown(error).toBody() };
  }
}
