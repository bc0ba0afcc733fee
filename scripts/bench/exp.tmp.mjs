// experiment: idle RSS of a virtual driver bin under node flags
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTestHub } from '@weble/driver-kit/testing';
const [bin, ...flags] = process.argv.slice(2);
const rss = (pid) => Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096 / 2 ** 20;
const hub = await startTestHub();
const cfg = { type: 'weble:config', gateway: { id: 1, type: 'virtual', config: {} }, addresses: [{ key: 'a/1', point: { type: 'number', initial: 1 } }] };
const out = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const c = fork(bin, [], { execArgv: flags, env: { ...process.env, WEBLE_HUB: hub.socket, WEBLE_PEER_NAME: `driver_virtual_${i}` }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  c.send(cfg);
  await hub.waitForPeer(`driver_virtual_${i}`, 30000);
  const up = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 2000));
  out.push({ up, rss: rss(c.pid) });
  c.kill('SIGKILL');
}
const bare = fork(new URL('file:///work/wt-20/scripts/bench/lib/bare-child.cjs').pathname, [], { execArgv: flags });
await new Promise((r) => bare.once('message', r)); await new Promise((r) => setTimeout(r, 1000));
const b = rss(bare.pid); bare.kill();
console.log(`${bin.split('/').slice(-3).join('/')} ${flags.join(' ')}: rss ${out.map((o) => o.rss.toFixed(1)).join(' ')} (bare ${b.toFixed(1)}, ${(out[1].rss / b).toFixed(2)}x) up ms ${out.map((o) => o.up.toFixed(0)).join(' ')}`);
await hub.close(); process.exit(0);
