// The simulated devices of the demo, started before the supervisor. Each is a real process
// talking its protocol on loopback (or a pty). `gateway` is the site.yaml gateway it serves (left
// out, with that gateway disabled, when a tool it needs is missing); `configure` points that
// gateway at the simulator when the demo runs on other ports than the ones in site.yaml (tests).
import { join } from 'node:path';

/** Ports of the demo as written in examples/demo/site.yaml. */
export const DEMO_PORTS = { http: 8080, modbus: 5020, bacnet: 47809, knx: 3671 };

const gatewayOf = (site, id) => site.get('gateways').items.find((item) => String(item.get('id')) === id);

export const simulators = [
  {
    name: 'modbus-sim',
    gateway: 'boiler',
    requires: [
      {
        what: "Debian's python3-pymodbus",
        check: "/usr/bin/python3 -c 'import pymodbus'",
        install: 'python3-pymodbus',
      },
    ],
    ports: (ports) => [{ port: ports.modbus, kind: 'tcp' }],
    describe: (ports) => `Modbus TCP device (pymodbus) on 127.0.0.1:${ports.modbus}`,
    command: '/usr/bin/python3',
    args: (ports) => [
      'drivers/modbus/sim/modbus-server.py',
      'tcp',
      '--host',
      '127.0.0.1',
      '--port',
      String(ports.modbus),
      '--simulate',
    ],
    // The server stops when its stdin closes: keep a pipe open for its life (and use it to ask it things).
    stdin: 'pipe',
    ready: /LISTENING tcp \d+/,
    configure: (site, ports) => gatewayOf(site, 'boiler').setIn(['config', 'port'], ports.modbus),
  },
  {
    name: 'bacnet-sim',
    gateway: 'ahu',
    ports: (ports) => [{ port: ports.bacnet, kind: 'udp' }],
    describe: (ports) => `BACnet/IP device 1234 on 127.0.0.1:${ports.bacnet} (UDP)`,
    command: process.execPath,
    args: (ports) => [
      'drivers/bacnet/dist/sim.js',
      '--instance',
      '1234',
      '--port',
      String(ports.bacnet),
      '--interface',
      '127.0.0.1',
      '--tick-ms',
      '1000',
    ],
    ready: /bacnet-sim device 1234 on/,
    configure: (site, ports) => {
      const devices = gatewayOf(site, 'ahu').getIn(['config', 'devices']);
      devices.items[0].set('address', `127.0.0.1:${ports.bacnet}`);
    },
  },
  {
    name: 'serial-sim',
    gateway: 'meter',
    requires: [{ what: 'socat', check: 'command -v socat', install: 'socat' }],
    ports: () => [],
    describe: (_ports, runDir) => `serial meter on the pty ${join(runDir, 'serial', 'driver')} (socat)`,
    command: process.execPath,
    args: (_ports, runDir) => ['drivers/serial/sim/demo.mjs', '--dir', join(runDir, 'serial'), '--interval', '2000'],
    ready: /\/serial\/driver\s*$/m,
    configure: (site, _ports, runDir) =>
      gatewayOf(site, 'meter').setIn(['config', 'path'], join(runDir, 'serial', 'driver')),
  },
  {
    name: 'knx-sim',
    gateway: 'lights',
    requires: [
      {
        what: "Debian's knxd and knxd-tools",
        check: 'command -v knxd && command -v knxtool',
        install: 'knxd knxd-tools',
      },
    ],
    ports: (ports) => [{ port: ports.knx, kind: 'udp' }],
    describe: (ports) =>
      `KNX installation (knxd tunnelling server) on udp ${ports.knx}: two lights and a room thermostat`,
    command: process.execPath,
    args: (ports, runDir) => [
      'drivers/knx/sim/demo.mjs',
      '--port',
      String(ports.knx),
      '--dir',
      join(runDir, 'knx'),
      '--interval',
      '5000',
    ],
    ready: /knx-sim ready:/,
    configure: (site, ports) => gatewayOf(site, 'lights').setIn(['config', 'port'], ports.knx),
  },
];
