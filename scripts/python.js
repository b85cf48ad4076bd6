#!/usr/bin/env node
// Before the unit tests: the Python engine kit's tests run on Debian's python3 with Debian's numpy
// (no PyPI here). With numpy missing, it installs python3-numpy where this user may (as
// scripts/e2e.js does Chromium), else says how; LOOPDECK_TEST_PYTHON names another interpreter.
import { spawnSync } from 'node:child_process';
import { aptInstall } from './debianPackages.js';

const python = process.env.LOOPDECK_TEST_PYTHON ?? '/usr/bin/python3';
const hasNumpy = () => spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

if (!hasNumpy()) {
  console.error(`python: ${python} cannot import numpy; installing Debian's python3-numpy with apt-get where this user may`);
  if (!(aptInstall(['python3', 'python3-numpy'], 'python') && hasNumpy()))
    console.error('python: could not install it; the Python engine tests will fail until "sudo apt-get install python3-numpy" (or LOOPDECK_TEST_PYTHON names a python3 with numpy)');
}
