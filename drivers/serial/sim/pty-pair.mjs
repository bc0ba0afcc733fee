// A pseudo-terminal pair from socat: two linked ptys, `<dir>/driver` and `<dir>/device` by default.
// "Unplugging" is stopping socat (both ends hang up, the links disappear); starting again with the
// same dir gives the same paths back. Used by the tests and by demo.mjs.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Start socat; resolves once it reports its data transfer loop (both ptys exist). */
export function startPtyPair(dir, { driverName = 'driver', deviceName = 'device', timeoutMs = 5000 } = {}) {
  mkdirSync(dir, { recursive: true });
  const driver = join(dir, driverName);
  const device = join(dir, deviceName);
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${driver}`, `pty,raw,echo=0,link=${device}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => fail(new Error(`socat did not start within ${timeoutMs} ms: ${log}`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    const early = (code) => fail(new Error(`socat exited (${code}): ${log}`));
    child.once('exit', early);
    child.stderr.setEncoding('utf8').on('data', (text) => {
      log += text;
      if (!log.includes('starting data transfer loop')) return;
      clearTimeout(timer);
      child.removeListener('exit', early);
      child.stderr.removeAllListeners('data');
      child.stderr.resume();
      resolve({
        driver,
        device,
        pid: child.pid,
        exited,
        /** Stop socat (the "unplug"); resolves when it has exited. */
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
