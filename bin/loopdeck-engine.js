#!/usr/bin/env node
// The bundled engine (selfplay, train, arena, bestmove), run from the TypeScript sources.
import { register } from 'tsx/esm/api';

register();
await import('../src/engine/cli.ts');
