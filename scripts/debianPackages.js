// Debian packages the tests need, installed with apt-get where this user may (root, or
// password-less sudo), for `npm test` on a fresh machine: scripts/e2e.js (chromium) and
// scripts/python.js (python3-numpy, python3-torch).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function run(command, args, label) {
  console.error(`${label}: $ ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

/** The command prefix that runs apt-get as root here, or null when this user cannot. */
function aptPrefix() {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) return null;
  if (process.getuid?.() === 0) return [];
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : null;
}

/** Installs the packages; false when this user cannot or apt-get fails. */
export function aptInstall(packages, label) {
  const apt = aptPrefix();
  if (!apt) return false;
  const [command, ...prefix] = [...apt, 'apt-get'];
  return run(command, [...prefix, 'update', '-qq'], label) && run(command, [...prefix, 'install', '-y', '-qq', ...packages], label);
}
