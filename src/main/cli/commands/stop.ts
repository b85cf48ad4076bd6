/** `loopdeck stop`: ask the process that drives a run to stop it gracefully. */
import { RunManager } from '../../orchestrator/service/runManager';
import { EXIT_OK } from '../exitCodes';

export async function stopCommand(name: string, options: { runsDir: string }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  const before = (await manager.getRun(name)).summary;
  if (before.status !== 'running' && before.status !== 'stopping') {
    process.stdout.write(`run "${name}" is not running (${before.status})\n`);
    return EXIT_OK;
  }
  await manager.stopRun(name);
  process.stdout.write(`asked the process driving "${name}" to stop: it stops its children gracefully; resume with "loopdeck run --name ${name}"\n`);
  return EXIT_OK;
}
