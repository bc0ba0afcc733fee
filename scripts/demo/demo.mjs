// The demo gateway as a library: simulated devices, then `weble-supervisor start` on
// examples/demo/site.yaml (drivers, logic_thermostat, the web UI). Used by `npm run dev`
// (scripts/dev.mjs) and by the tests that drive the demo in Chromium on free ports.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { DEMO_PORTS, simulators } from './simulators.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_SITE = join(ROOT, 'examples', 'demo', 'site.yaml');
export const DEMO_LOGIN = { username: 'admin', password: 'weble-demo' };
export { DEMO_PORTS, simulators };

/** Whether `port` can be bound on 127.0.0.1 now. */
export function portFree(port, kind = 'tcp') {
  return new Promise((done) => {
    if (kind === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', () => done(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => done(true)));
    } else {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    }
  });
}

/** A port the OS says is free now (`kind` tcp or udp). */
export function freePort(kind = 'tcp') {
  return new Promise((done, fail) => {
    if (kind === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', fail);
      socket.bind(0, '127.0.0.1', () => {
        const { port } = socket.address();
        socket.close(() => done(port));
      });
    } else {
      const server = createServer();
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => done(port));
      });
    }
  });
}

/** Resolve with the first match of `pattern` in `child`'s output; fail when it exits first or after `ms`. */
function waitForOutput(child, pattern, ms) {
  return new Promise((done, fail) => {
    let text = '';
    const timer = setTimeout(
      () => finish(new Error(`${child.label}: no ${pattern} within ${ms} ms:\n${text.slice(-1500)}`)),
      ms,
    );
    const onData = (chunk) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) finish(undefined, match);
    };
    const onExit = (code, signal) =>
      finish(new Error(`${child.label} exited (${signal ?? code}) before it was ready:\n${text.slice(-1500)}`));
    function finish(error, match) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
      if (error) fail(error);
      else done(match);
    }
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Start the demo. `ports` overrides DEMO_PORTS (tests use free ones); `runDir` holds the sockets,
 * logs and ptys (default examples/demo/run). `say` gets one-line progress messages; `onExit`
 * is called when a child dies on its own; `sims` replaces the simulator list (tests). Resolves once
 * the web server is up.
 */
export async function startDemo({
  ports = DEMO_PORTS,
  runDir = join(ROOT, 'examples', 'demo', 'run'),
  say = () => {},
  onExit = () => {},
  pipeSupervisor,
  register,
  sims: simulatorList = simulators,
} = {}) {
  const children = [];
  let stopping = false;
  const start = (label, command, args, stdin = 'ignore') => {
    // A process group of its own: a terminal's Ctrl-C reaches only the launcher, which stops the
    // children in order (the supervisor before the devices it talks to).
    const child = spawn(command, args, { cwd: ROOT, stdio: [stdin, 'pipe', 'pipe'], detached: true });
    child.label = label;
    child.exited = new Promise((done) => child.once('exit', done));
    child.once('exit', (code, signal) => {
      if (!stopping) onExit(label, signal ?? code);
    });
    children.push(child);
    return child;
  };
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(
      () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')),
      8_000,
    );
    const kill = (c) => (c.exitCode === null && c.signalCode === null ? c.kill('SIGTERM') : undefined);
    const supervisor = children.find((c) => c.label === 'supervisor');
    if (supervisor) {
      kill(supervisor);
      await supervisor.exited;
    }
    const rest = children.filter((c) => c !== supervisor).reverse();
    rest.forEach(kill);
    await Promise.all(rest.map((c) => c.exited));
    clearTimeout(force);
  };
  const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));
  // The caller can stop a demo that is still starting (Ctrl-C during start-up).
  register?.({ stop, killAll });

  try {
    const site = parseDocument(readFileSync(DEMO_SITE, 'utf8'));
    const busy = [];
    for (const { port, kind } of [{ port: ports.http, kind: 'tcp' }, ...simulatorList.flatMap((s) => s.ports(ports))]) {
      if (!(await portFree(port, kind))) busy.push(`${kind} port ${port}`);
    }
    if (busy.length > 0) throw new Error(`cannot start: ${busy.join(', ')} already in use (another demo running?)`);
    rmSync(join(runDir, 'supervision.sock'), { force: true });
    mkdirSync(join(runDir, 'logs'), { recursive: true });

    const sims = {};
    const leftOut = [];
    for (const sim of simulatorList) {
      const missing = (sim.requires ?? []).find(
        (need) => spawnSync('sh', ['-c', need.check], { stdio: 'ignore' }).status !== 0,
      );
      if (missing) {
        leftOut.push(sim.gateway);
        say(
          `${sim.name}: left out with gateway ${sim.gateway}: ${missing.what} is not installed (on Debian, as root: apt-get install ${missing.install})`,
        );
        continue;
      }
      const child = start(sim.name, sim.command, sim.args(ports, runDir), sim.stdin);
      await waitForOutput(child, sim.ready, 30_000);
      sims[sim.name] = child;
      say(`${sim.name} ready: ${sim.describe(ports, runDir)}`);
    }

    // examples/demo/site.yaml as it is, unless the demo runs elsewhere or without a simulator.
    let config = DEMO_SITE;
    const defaultRun = resolve(runDir) === join(ROOT, 'examples', 'demo', 'run');
    const samePorts = Object.entries(DEMO_PORTS).every(([k, v]) => ports[k] === v);
    if (leftOut.length > 0 || !samePorts || !defaultRun) {
      const base = dirname(DEMO_SITE);
      const absolute = (p) => (isAbsolute(p) ? p : join(base, p));
      site.setIn(['http', 'port'], ports.http);
      site.setIn(['hub', 'socket'], join(runDir, 'supervision.sock'));
      site.setIn(['supervision', 'logs', 'dir'], join(runDir, 'logs'));
      for (const logic of site.get('logics').items) logic.set('file', absolute(logic.get('file')));
      for (const sim of simulatorList) if (!leftOut.includes(sim.gateway)) sim.configure(site, ports, runDir);
      for (const item of site.get('gateways').items)
        if (leftOut.includes(String(item.get('id')))) item.set('enabled', false);
      config = join(runDir, 'site.yaml');
      writeFileSync(config, site.toString());
    } else {
      for (const sim of simulatorList) sim.configure(site, ports, runDir); // checks the site still has the gateway
    }

    const supervisor = start('supervisor', process.execPath, [
      join(ROOT, 'packages/supervisor/dist/cli.js'),
      'start',
      '--config',
      config,
    ]);
    pipeSupervisor?.(supervisor);
    await waitForOutput(supervisor, /"child":"webserver"[^\n]*"msg":"up"/, 90_000);
    const url = `http://${site.getIn(['http', 'host'])}:${ports.http}/`;
    return { url, config, socket: join(runDir, 'supervision.sock'), sims, leftOut, children, stop, killAll };
  } catch (error) {
    await stop();
    throw error;
  }
}
