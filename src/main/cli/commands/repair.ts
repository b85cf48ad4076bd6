/**
 * `loopdeck repair`: break the run's lock if its holder is known dead (saying whose it was); show
 * a corrupt journal line, and with --yes cut the journal there (keeping a backup) and rebuild the projections.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { breakStaleLock, lockHolder } from '../../orchestrator/state/runLock';
import { cutJournal, diagnoseJournal } from '../../orchestrator/state/journalRepair';
import { RunPaths } from '../../orchestrator/state/runPaths';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../exitCodes';

export async function repairCommand(name: string, options: { runsDir: string; yes?: boolean }): Promise<number> {
  const paths = new RunPaths(options.runsDir, name);
  if (!existsSync(paths.events)) throw new UsageError(`no run named "${name}" in ${options.runsDir}`);
  const live = await lockHolder(paths.lock);
  if (live) throw new UsageError(`run "${name}" is driven by process ${live.pid} on ${live.host === hostname() ? 'this machine' : `host ${live.host}`}; stop it there first`);
  const broken = await breakStaleLock(paths.lock);
  if (broken) {
    const why = broken.host === hostname() ? 'that process is gone' : `its lease ran out at ${new Date(Date.parse(broken.renewed_at) + broken.lease_seconds * 1000).toISOString()}`;
    process.stdout.write(`broke the run lock of process ${broken.pid} on ${broken.host} (${why})\n`);
  }
  const { corrupt } = await diagnoseJournal(paths);
  if (!corrupt) {
    process.stdout.write(`the journal of "${name}" reads cleanly; nothing to repair\n`);
    return EXIT_OK;
  }
  const lines = [`${paths.events}: line ${corrupt.line} is corrupt (${corrupt.detail}):`];
  for (const { line, text } of corrupt.context) lines.push(`${line === corrupt.line ? '>' : ' '} ${String(line).padStart(6)}  ${text}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const lost = corrupt.linesAfter + 1;
  if (!options.yes) {
    process.stdout.write(
      `Nothing changed. "loopdeck repair ${name} --yes" keeps a backup of the journal and cuts it before line ${corrupt.line} (${lost} line${lost === 1 ? '' : 's'} from there on), then rebuilds the projections.\n`,
    );
    return EXIT_USAGE;
  }
  const { backup, repairs } = await cutJournal(paths, corrupt.line);
  process.stdout.write(`kept the whole journal in ${backup}; cut ${lost} line${lost === 1 ? '' : 's'} from line ${corrupt.line}\n`);
  for (const r of repairs) process.stdout.write(`${r}\n`);
  process.stdout.write(`"loopdeck run --name ${name}" resumes it at its first unfinished iteration\n`);
  return EXIT_OK;
}
