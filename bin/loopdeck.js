#!/usr/bin/env node
// The orchestrator CLI, run from the TypeScript sources.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/orchestrator/cli.ts');
