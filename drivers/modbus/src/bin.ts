#!/usr/bin/env node
/**
 * `weble-driver-modbus`: started by the supervisor (config over IPC) or by hand (--config /
 * WEBLE_CONFIG). Its schemas (and zod) are in `bin-schema.cjs`, loaded only when something must be
 * validated: a configuration the supervisor did not validate with this package's schemas, or a
 * written value (docs/memory.md, "Schemas on first need").
 */
import { join } from 'node:path';
import { runBundledDriver } from '@weble/driver-kit';
import { body } from './body.js';

void runBundledDriver(body, join(__dirname, 'bin-schema.cjs'));
