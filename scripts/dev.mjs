// `pnpm dev` / `npm run dev`: the whole demo gateway on one command (after scripts/dev.sh has set
// up and built everything): simulated Modbus, BACnet and serial devices, then `weble-supervisor
// start` on examples/demo/site.yaml (drivers, logic_thermostat, the web UI). Prints the URL and
// the demo login; Ctrl-C (SIGINT), SIGTERM or SIGHUP stops everything, in order.
import { DEMO_LOGIN, startDemo } from './demo/demo.mjs';

const say = (text) => process.stdout.write(`dev: ${text}\n`);
let demo;
let handle; // stop/killAll, known before the demo is up
let stopping = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping');
  await handle?.stop();
  say('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));
// Last resort when this launcher dies of an error: no child is left behind.
process.on('exit', () => handle?.killAll());

try {
  demo = await startDemo({
    say,
    register: (h) => (handle = h),
    onExit: (label, how) => {
      say(`${label} exited (${how}); stopping the demo`);
      void stop(1);
    },
    pipeSupervisor: (child) => {
      child.stdout.pipe(process.stdout);
      child.stderr.pipe(process.stderr);
    },
  });
  say(`the gateway is up: open ${demo.url}  (login ${DEMO_LOGIN.username} / ${DEMO_LOGIN.password})`);
  say('Ctrl-C stops everything');
} catch (error) {
  if (!stopping) {
    say(error.message);
    process.exitCode = 1;
  }
}
