/**
 * loopdeck-engine version: what this engine is, for the run's record (docs/protocol.md, version):
 * Loopdeck's version, and the commit, Node and ONNX Runtime it runs on.
 */
import { appVersion, gitState, packageVersion } from '../../node/loopdeckBuild';
import { Flags } from '../flags';
import { emitter } from '../io';

export async function run(argv: string[]): Promise<number> {
  Flags.of('version', argv);
  const { commit, dirty } = await gitState();
  const onnxruntime = packageVersion('onnxruntime-node');
  emitter('version')({
    event: 'version',
    name: 'loopdeck-engine',
    version: appVersion(),
    details: {
      ...(commit ? { commit: `${commit.slice(0, 12)}${dirty ? ' (uncommitted changes)' : ''}` } : {}),
      node: process.version,
      ...(onnxruntime ? { onnxruntime } : {}),
    },
  });
  return 0;
}
