// `pnpm dev` / `npm run dev`: the whole demo gateway on one command. Starts the simulated devices
// (Modbus TCP: pymodbus; BACnet/IP: a device on loopback UDP; serial: a device on a socat pty),
// then `weble-supervisor start` on examples/demo/site.yaml (drivers, logic_thermostat, the web
// UI), prints the URL and the demo login, and stops everything on Ctrl-C (SIGINT) or SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { simulators } from './demo/simulators.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demoDir = join(root, 'examples', 'demo');
const runDir = join(demoDir, 'run');
const SITE = join(demoDir, 'site.yaml');
const LOGIN = { username: 'admin', password: 'weble-demo' };
const children = [];
let stopping = false;

function say(text) {
  process.stdout.write(`dev: ${text}\n`);
}

/**
 * Start a child in a process group of its own, so a terminal's Ctrl-C reaches only this launcher,
 * which stops the children in order (the supervisor before the devices it talks to).
 */
function start(name, command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  child.label = name;
  children.push(child);
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping the demo`);
      stop(1);
    }
  });
  return child;
}

/** Resolve with the first line of `child`'s output matching `pattern`; fail when it exits first. */
function waitForLine(child, pattern, ms = 30_000) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${child.label}: no "${pattern}" within ${ms} ms:\n${text.slice(-1500)}`)), ms);
    const onData = (chunk) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${child.label} exited (${code}) before it was ready:\n${text.slice(-1500)}`));
    });
  });
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping');
  const force = setTimeout(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, 8_000);
  force.unref();
  // The supervisor first (it stops the drivers, the logic and the web server), then the simulators.
  const supervisor = children.find((c) => c.label === 'supervisor');
  const rest = children.filter((c) => c !== supervisor).reverse();
  const kill = (child) => (child.exitCode === null && child.signalCode === null ? child.kill('SIGTERM') : undefined);
  void (async () => {
    if (supervisor) {
      kill(supervisor);
      await supervisor.exited;
    }
    rest.forEach(kill);
    await Promise.all(rest.map((c) => c.exited));
    say('stopped');
    process.exit(code);
  })();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGHUP', () => stop(0));
// Last resort when this launcher dies of an error: no child is left behind.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function portFree(port, kind) {
  return new Promise((resolve) => {
    if (kind === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    } else {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    }
  });
}

async function main() {
  rmSync(join(runDir, 'supervision.sock'), { force: true });
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  const site = parseDocument(readFileSync(SITE, 'utf8'));
  const busy = [];
  for (const { port, kind } of [{ port: site.getIn(['http', 'port']), kind: 'tcp' }, ...simulators.flatMap((s) => s.ports ?? [])]) {
    if (!(await portFree(port, kind))) busy.push(`${kind} port ${port}`);
  }
  if (busy.length > 0) {
    say(`cannot start: ${busy.join(', ')} already in use (another demo running?)`);
    process.exit(1);
  }

  const left = [];
  for (const sim of simulators) {
    const missing = sim.requires?.find((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
    if (missing) {
      left.push(sim.gateway);
      say(`${sim.name}: left out, \`${missing}\` is not installed (run as root on Debian: apt-get install ${missing})`);
      continue;
    }
    const child = start(sim.name, sim.command, sim.args(runDir), sim.stdin ? { stdio: [sim.stdin, 'pipe', 'pipe'] } : {});
    await waitForLine(child, sim.ready);
    say(`${sim.name} ready: ${sim.describe}`);
  }
  let config = SITE;
  if (left.length > 0) {
    for (const item of site.get('gateways').items) if (left.includes(String(item.get('id')))) item.set('enabled', false);
    config = join(demoDir, 'site.demo.yaml');
    writeFileSync(config, site.toString());
  }

  const supervisor = start('supervisor', process.execPath, [join(root, 'packages/supervisor/dist/cli.js'), 'start', '--config', config]);
  supervisor.stdout.pipe(process.stdout);
  supervisor.stderr.pipe(process.stderr);
  const url = `http://${site.getIn(['http', 'host'])}:${site.getIn(['http', 'port'])}/`;
  await waitForLine(supervisor, /"child":"webserver"[^\n]*"msg":"up"/, 60_000).then(
    () => {
      say(`the gateway is up: open ${url}  (login ${LOGIN.username} / ${LOGIN.password})`);
      say('Ctrl-C stops everything');
    },
    (error) => {
      say(error.message);
      stop(1);
    },
  );
}

main().catch((error) => {
  say(error.stack ?? String(error));
  stop(1);
});
