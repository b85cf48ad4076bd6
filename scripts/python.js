#!/usr/bin/env node
// Before the unit tests: the Python engine kit's tests run on Debian's python3 with Debian's numpy,
// and the PyTorch examples' with Debian's python3-torch (no PyPI here). With either missing, it
// installs them where this user may (as scripts/e2e.js does Chromium), else says how;
// LOOPDECK_TEST_PYTHON names another interpreter.
import { spawnSync } from 'node:child_process';
import { aptInstall } from './debianPackages.js';

const python = process.env.LOOPDECK_TEST_PYTHON ?? '/usr/bin/python3';
const imports = (module) => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
const needed = { numpy: 'python3-numpy', torch: 'python3-torch' };
const missing = Object.keys(needed).filter((module) => !imports(module));

if (missing.length > 0) {
  const packages = missing.map((module) => needed[module]);
  console.error(`python: ${python} cannot import ${missing.join(', ')}; installing Debian's ${packages.join(', ')} with apt-get where this user may`);
  if (!(aptInstall(['python3', ...packages], 'python') && missing.every(imports)))
    console.error(
      `python: could not install them; the Python engine tests will fail until "sudo apt-get install ${packages.join(' ')}" (or LOOPDECK_TEST_PYTHON names a python3 with ${missing.join(' and ')})`,
    );
}
