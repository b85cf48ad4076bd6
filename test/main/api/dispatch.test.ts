import { describe, expect, it } from 'vitest';
import { API_METHODS, ApiError, type LoopdeckApi } from '../../../src/shared/api';
import { dispatch } from '../../../src/main/api/dispatch';

/** An API whose every method records its call and answers with its arguments. */
function recordingApi() {
  const calls: [string, unknown[]][] = [];
  const api = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (...args: unknown[]) => {
        calls.push([method, args]);
        if (args[0] === 'missing') throw new ApiError({ code: 'not_found', message: 'no run named "missing"' });
        if (args[0] === 'crash') throw new TypeError('cannot read properties of undefined');
        return args;
      },
    ]),
  ) as unknown as LoopdeckApi;
  return { api, calls };
}

describe('dispatch', () => {
  it('calls the method with its arguments and answers with the result', async () => {
    const { api, calls } = recordingApi();
    expect(await dispatch(api, 'promote', ['r1', 3, 2])).toEqual({ ok: true, result: ['r1', 3, 2] });
    expect(await dispatch(api, 'runsFolder', [])).toEqual({ ok: true, result: [] });
    expect(calls).toEqual([
      ['promote', ['r1', 3, 2]],
      ['runsFolder', []],
    ]);
  });

  it('refuses an unknown method, a wrong count or a wrong argument by name, without calling the service', async () => {
    const { api, calls } = recordingApi();
    expect(await dispatch(api, 'deleteEverything', [])).toEqual({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/^unknown method "deleteEverything"; methods: runsFolder, listRuns/) },
    });
    expect(await dispatch(api, 'revert', [])).toEqual({ ok: false, error: { code: 'bad_request', message: 'revert(run, seen best) takes 2 arguments; got []' } });
    expect(await dispatch(api, 'revert', ['r1', 'two'])).toMatchObject({ ok: false, error: { message: 'revert(run, seen best): the seen best must be a number (got "two")' } });
    expect(await dispatch(api, 'readLog', ['r1', 2, 'trainer', -0.5])).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'readLog(run, iteration, process, offset): the offset must be a whole number (got -0.5)' },
    });
    expect(await dispatch(api, 'startRun', [['not', 'an', 'object']])).toMatchObject({ ok: false, error: { message: 'startRun(config): the config must be an object (got ["not","an","object"])' } });
    expect(await dispatch(api, 'getRun', ['x'.repeat(300)])).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^getRun\(run\): the run must be a text of at most 200 characters/) },
    });
    expect(await dispatch(api, 'listRuns', 'not a list')).toMatchObject({ ok: false, error: { message: 'listRuns() takes 0 arguments; got "not a list"' } });
    expect(calls).toEqual([]);
  });

  it("carries the service's errors back unchanged, and anything else as an internal error", async () => {
    const { api } = recordingApi();
    expect(await dispatch(api, 'getRun', ['missing'])).toEqual({ ok: false, error: { code: 'not_found', message: 'no run named "missing"' } });
    expect(await dispatch(api, 'getRun', ['crash'])).toEqual({ ok: false, error: { code: 'internal', message: 'cannot read properties of undefined' } });
  });
});
