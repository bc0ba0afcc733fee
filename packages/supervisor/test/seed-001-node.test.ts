/**
 * Seed 001 (getting started), the Node.js sample: cut verbatim out of the page (only the host is
 * changed), run as a plain CommonJS script in a directory with no node_modules, against a site
 * started from site.yaml by the real `weble-supervisor start` (HTTPS with `tls: auto`; the script
 * trusts the generated certificate through NODE_EXTRA_CA_CERTS, as an integrator would).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword, md5Hex } from '@weble/web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from './fixtures/running-site.js';
import { freePort } from './fixtures/free-port.js';

const PAGE = fileURLToPath(new URL('../../../test/seeds/001-getting-started.txt', import.meta.url));

/** The Node.js sample: from `var https = require('https')` to the end of its apiLogin call. */
function nodeSample(): string {
  const lines = readFileSync(PAGE, 'utf8').split('\n');
  const start = lines.indexOf("var https = require('https')");
  const end = lines.indexOf('Once you have a peer object, every example in the reference section applies as-is.');
  if (start < 0 || end < 0) throw new Error('the Node.js sample was not found on the seed 001 page');
  return lines.slice(start, end).join('\n');
}

let site: RunningSite;
let scriptDir: string;
let url: string;

beforeAll(async () => {
  const passwordHash = await hashPassword(md5Hex('mypassword'));
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: ${await freePort()}, tls: auto }
users:
  - { username: admin, passwordHash: "${passwordHash}", role: admin }
gateways:
  - { id: 1, type: virtual, name: knx, config: {} }
addresses:
  - { key: "4/7/25", gateway: 1, point: { type: number, initial: 0 } }
`);
  await site.until('webserver up', async () => ((await site.find('webserver'))?.state === 'up' ? true : undefined));
  const [address] = await site.client('webserver').call('web', 'address', []);
  url = (address as { url: string }).url;
  scriptDir = mkdtempSync(join(tmpdir(), 'weble-seed-001-'));
}, 60_000);

afterAll(async () => {
  await site?.close();
  if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
});

function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(scriptDir, `sample-${Date.now()}.cjs`);
  writeFileSync(file, source);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd: scriptDir,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(site.dir, 'run', 'tls', 'web-cert.pem'), NODE_PATH: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('seed 001: the Node.js sample, unchanged but for the host', () => {
  it('logs in over HTTPS, gets a connected peer, calls system.totalmem, writes a value and receives newValue', async () => {
    const sample = nodeSample();
    expect(sample).toContain("apiLogin('https://gateway.example.com', 'admin', 'mypassword'");
    const script = `${sample.replace("'https://gateway.example.com'", JSON.stringify(url))}

// --- the test's own part: a second session using the same apiLogin, for writeValue and newValue;
// it exits once the sample has printed its total memory too (the two sessions run side by side)
var printed = ''
var print = console.log
console.log = function(){ printed += Array.prototype.join.call(arguments, ' ') + '\\n'; print.apply(console, arguments) }
function exitWhenSampleDone(){ if (/total memory/.test(printed)) process.exit(0); else setTimeout(exitWhenSampleDone, 20) }
apiLogin(${JSON.stringify(url)}, 'admin', 'mypassword', function(err, peer){
  if(err){ console.log('second login failed', err.message); return process.exit(1) }
  peer('supervision').on('newValue 4/7/25', function(address, value, value_string, value_date){
    console.log('newValue', address, value, value_string, value_date instanceof Date)
    exitWhenSampleDone()
  })
  peer('supervision').require('gateways', function(err, gateways){
    if(err){ console.log('require failed', err.message); return process.exit(1) }
    // a round trip after .on(): the subscription is in place before the write
    gateways.getLastValue('4/7/25', function(){
      gateways.writeValue('4/7/25', 1, function(err){ if(err){ console.log('write failed', err.message); process.exit(1) } })
    })
  })
})
setTimeout(function(){ console.log('timed out'); process.exit(2) }, 15000).unref()
`;
    const run = await runScript(script);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`total memory: ${totalmem()}`);
    expect(run.stdout).toContain('newValue 4/7/25 1 1 true');
    expect(run.code).toBe(0);
    const gateways = await site.client('supervision').require('gateways');
    expect(await gateways.readValue('4/7/25')).toBe(1);
  });

  it('the peer reconnects on its own when the supervisor restarts the webserver (sessions survive it)', async () => {
    const script = `${nodeSample()
      .replace("'https://gateway.example.com'", JSON.stringify(url))
      .replace(/\napiLogin\([\s\S]*$/, '')}
var round = 0
apiLogin(${JSON.stringify(url)}, 'admin', 'mypassword', function(err, peer){
  if(err){ console.log('login failed', err.message); return process.exit(1) }
  function ask(){
    peer('supervision').require('system', function(err, system){
      if(err) return console.log('require failed', err.message)
      system.totalmem(function(err, bytes){
        round++
        console.log('round', round, bytes)
        if(round === 2) process.exit(0)
      })
    })
  }
  ask()
  peer.on('connect supervision', ask)
})
setTimeout(function(){ console.log('timed out'); process.exit(2) }, 20000).unref()
`;
    const file = join(scriptDir, 'reconnect.cjs');
    writeFileSync(file, script);
    const child = spawn(process.execPath, [file], {
      cwd: scriptDir,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(site.dir, 'run', 'tls', 'web-cert.pem') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await site.until('first round', async () => (stdout.includes('round 1') ? true : undefined));
    await site.client('supervision').call('system', 'restart', ['webserver']);
    expect(await exited).toBe(0);
    expect(stdout).toContain(`round 2 ${totalmem()}`);
  });
});
