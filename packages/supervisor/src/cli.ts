#!/usr/bin/env node
/**
 * `weble-supervisor`'s entry. The supervisor lives for years on small boxes: before any module is
 * loaded, V8's young generation is told not to grow (`--semi-space-growth-factor=1`). Loading the
 * supervisor's modules otherwise grows it from 1 to 8 MiB of semi-space, kept resident for the
 * life of the process although almost nothing lives there between messages (docs/memory.md).
 * TurboFan is held back while the modules load (startup-tiering.ts); cli-main.ts lets it optimise
 * again once a started site has read its site.yaml, or before any other command runs.
 * Everything else is in cli-main.ts, imported only after the flags are set.
 */
import { setFlagsFromString } from 'node:v8';
import { holdOptimisation } from './startup-tiering.js';

setFlagsFromString('--semi-space-growth-factor=1');
holdOptimisation();
void import('./cli-main.js');
