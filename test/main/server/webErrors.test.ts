import { expect, it } from 'vitest';
import { errorForWebClient, MAX_ERRORS_PER_REPLY, withoutAbsolutePaths } from '../../../src/main/server/webErrors';

it('names no absolute path: known roots by their label, any other by its last part', () => {
  expect(withoutAbsolutePaths('no run named "x" in /home/ann/runs', [{ path: '/home/ann/runs', label: 'the runs folder' }])).toBe('no run named "x" in the runs folder');
  expect(withoutAbsolutePaths('iteration 3 has no model (/srv/x/runs/r/models/iter-0003.onnx)')).toBe('iteration 3 has no model (…/iter-0003.onnx)');
  expect(withoutAbsolutePaths('C:\\Users\\ann\\runs\\r\\events.jsonl is corrupt')).toBe('…/events.jsonl is corrupt');
  expect(withoutAbsolutePaths('score (wins + draws/2) / games and models/iter-0001.onnx')).toBe('score (wins + draws/2) / games and models/iter-0001.onnx');
});

it('caps the errors of one reply and cuts long texts', () => {
  const errors = Array.from({ length: 100 }, (_, i) => ({ field: `f${i}`, message: 'x'.repeat(10_000) }));
  const body = errorForWebClient({ code: 'invalid_config', message: 'y'.repeat(10_000), errors });
  expect(body.errors).toHaveLength(MAX_ERRORS_PER_REPLY);
  expect(body.message).toMatch(/\(and 80 more errors\)$/);
  expect(JSON.stringify(body).length).toBeLessThan(15_000);
});
