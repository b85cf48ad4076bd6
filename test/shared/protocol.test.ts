import { describe, expect, it } from 'vitest';
import { PROTOCOL_PARSERS, type ProtocolLineError } from '../../src/shared/protocol';

const parseError = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    return error as ProtocolLineError;
  }
  throw new Error('parsed without an error');
};

describe('the protocol parsers', () => {
  it("read each subcommand's events as documented, with optional fields left out", () => {
    expect(PROTOCOL_PARSERS.selfplay('{"event":"shard","path":"r/a.safetensors","positions":40}')).toEqual({ event: 'shard', path: 'r/a.safetensors', positions: 40 });
    expect(PROTOCOL_PARSERS.train('{"event":"progress","step":12,"loss":1.5}')).toEqual({ event: 'progress', step: 12, loss: 1.5 });
    expect(PROTOCOL_PARSERS.arena('{"event":"game","result":"draw","moves":[5,1],"search":[null,{"visits":[1,0],"prior":[0.5,0.5],"value":0.1}]}')).toEqual({
      event: 'game',
      result: 'draw',
      moves: [5, 1],
      search: [null, { visits: [1, 0], prior: [0.5, 0.5], value: 0.1 }],
    });
    expect(PROTOCOL_PARSERS.bestmove('{"position":"44","move":4,"policy":[0,1],"value":0.25}')).toEqual({ position: '44', move: 4, policy: [0, 1], value: 0.25 });
    expect(PROTOCOL_PARSERS.bestmove('{"position":"4x","error":"not a move"}')).toEqual({ position: '4x', error: 'not a move' });
  });

  it('ignore blank lines and events the protocol does not name (a later version), keeping only declared fields', () => {
    expect(PROTOCOL_PARSERS.selfplay('   ')).toBeNull();
    expect(PROTOCOL_PARSERS.selfplay('{"event":"heartbeat","t":1}')).toBeNull();
    expect(PROTOCOL_PARSERS.train('{"event":"done","step":3,"loss":0.5,"extra":true}')).toEqual({ event: 'done', step: 3, loss: 0.5 });
  });

  it('name the event, the field and what it must be for a malformed event', () => {
    const cases: [() => unknown, string][] = [
      [() => PROTOCOL_PARSERS.selfplay('{"event":"shard","path":"x"}'), 'the "shard" event needs "positions"'],
      [() => PROTOCOL_PARSERS.selfplay('{"event":"progress","episodes":1.5,"positions":2}'), 'the "progress" event\'s "episodes" must be a whole number (got 1.5)'],
      [() => PROTOCOL_PARSERS.arena('{"event":"game","result":"tie"}'), 'the "game" event\'s "result" must be "win", "draw" or "loss" (got "tie")'],
      [() => PROTOCOL_PARSERS.train('{"event":"done","step":-1,"loss":0}'), 'the "done" event\'s "step" must be a whole number from 0 (got -1)'],
      [() => PROTOCOL_PARSERS.selfplay('{"event":"game","moves":[1],"result":"first","search":[{"visits":[1],"prior":"x","value":0}]}'), '"search.0.prior" must be a list of numbers'],
      [() => PROTOCOL_PARSERS.bestmove('{"position":"44"}'), 'a bestmove answer needs "move"'],
    ];
    for (const [parse, message] of cases) {
      const error = parseError(parse);
      expect(error.kind).toBe('malformed');
      expect(error.message).toContain(message);
    }
  });

  it('tell stray output (not an event at all) from a malformed event', () => {
    for (const line of ['hello', '[1,2]', '{"no":"event"}', '{"event":3}']) expect(parseError(() => PROTOCOL_PARSERS.arena(line)).kind).toBe('not_an_event');
  });
});
