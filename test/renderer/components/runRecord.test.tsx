// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { RunRecord } from '../../../src/renderer/components/RunRecord';
import type { Provenance } from '../../../src/shared/provenance';

afterEach(cleanup);

const provenance: Provenance = {
  loopdeck: { version: '0.1.0', commit: 'e7eecbf64a4f0000000000000000000000000000', dirty: true },
  node: 'v20.20.2',
  onnxruntime: '1.30.0',
  machine: { cpu: 'Intel Xeon', cores: 2, memory_gb: 24, os: 'linux 6.1', host: 'lab-1' },
  engines: [
    { role: 'actor', command: ['loopdeck-engine'], files: [], version: { name: 'loopdeck-engine', version: '0.1.0', details: { node: 'v20.20.2' } } },
    { role: 'trainer', command: ['python3', '/lab/train.py'], files: [{ path: '/lab/train.py', sha256: 'ab'.repeat(32) }], version: null, version_error: 'it does not answer "version" (exit 2)' },
    { role: 'arena', command: ['loopdeck-engine'], files: [], version: { name: 'loopdeck-engine', version: '0.1.0', details: { node: 'v20.20.2' } } },
  ],
  executor: 'local',
  seed: 77,
};

it("shows each engine's version, and why an engine gave none", async () => {
  render(<RunRecord provenance={provenance} />);
  const card = screen.getByRole('region', { name: 'Run record' });
  expect(card).toHaveTextContent('Loopdeck 0.1.0 at e7eecbf (uncommitted changes), Node v20.20.2, ONNX Runtime 1.30.0, 2 x Intel Xeon, 24 GB, linux 6.1 on lab-1, executor local, seed 77.');
  expect(within(card).getByText('Engines: loopdeck-engine 0.1.0 (node v20.20.2); version not given')).toBeInTheDocument();
  await userEvent.setup().click(within(card).getByText(/^Engines:/));
  const items = within(card).getAllByRole('listitem');
  expect(items[0]).toHaveTextContent('actor: loopdeck-engineloopdeck-engine 0.1.0 (node v20.20.2)');
  expect(items[1]).toHaveTextContent('No version: it does not answer "version" (exit 2)');
  expect(items[1]).toHaveTextContent('/lab/train.py: sha256 abababababababab…');
});

it('says when a run was made before runs recorded their versions', () => {
  render(<RunRecord provenance={null} />);
  expect(screen.getByRole('region', { name: 'Run record' })).toHaveTextContent('Made before runs recorded their versions and machine.');
});
