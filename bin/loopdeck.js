#!/usr/bin/env node
// The orchestrator CLI, run from the TypeScript sources.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/cli.ts');
process.exit(await main(process.argv.slice(2)));
