'use strict';
/**
 * Preloaded (NODE_OPTIONS=--require) into every Node process of the soak site: on SIGUSR2 it runs
 * a full garbage collection and writes `process.memoryUsage()` to `$WEBLE_SOAK_PROBE_DIR/<pid>.json`,
 * so the soak run reads the heap of the supervisor, the web server and the drivers from outside.
 * Only the soak run sets it; no product code depends on it.
 */
const { writeFileSync, renameSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.WEBLE_SOAK_PROBE_DIR;
if (dir) {
  require('node:v8').setFlagsFromString('--expose-gc');
  const gc = require('node:vm').runInNewContext('gc');
  process.on('SIGUSR2', () => {
    gc();
    const file = join(dir, `${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
    renameSync(`${file}.tmp`, file);
  });
}
