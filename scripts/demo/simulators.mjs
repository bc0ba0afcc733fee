// The simulated devices of the demo, started by scripts/dev.mjs before the supervisor. Each is a
// real process talking its protocol on loopback (or a pty); their addresses are the ones
// examples/demo/site.yaml points its gateways at. `gateway`: the site.yaml gateway id it serves
// (left out, with the gateway disabled, when a required tool is missing).
export const simulators = [
  {
    name: 'modbus-sim',
    gateway: 'boiler',
    describe: 'Modbus TCP device (pymodbus) on 127.0.0.1:5020',
    requires: ['/usr/bin/python3'],
    ports: [{ port: 5020, kind: 'tcp' }],
    command: '/usr/bin/python3',
    args: () => ['drivers/modbus/sim/modbus-server.py', 'tcp', '--host', '127.0.0.1', '--port', '5020', '--simulate'],
    // The server stops when its stdin closes: keep a pipe open for its life.
    stdin: 'pipe',
    ready: /LISTENING tcp 5020/,
  },
  {
    name: 'bacnet-sim',
    gateway: 'ahu',
    describe: 'BACnet/IP device 1234 on 127.0.0.1:47809 (UDP)',
    ports: [{ port: 47809, kind: 'udp' }],
    command: process.execPath,
    args: () => ['drivers/bacnet/dist/sim.js', '--instance', '1234', '--port', '47809', '--interface', '127.0.0.1', '--tick-ms', '1000'],
    ready: /bacnet-sim device 1234 on/,
  },
];
