// The simulated devices of the demo, started by scripts/dev.mjs before the supervisor. Each is a
// real process talking its protocol on loopback (or a pty); their addresses are the ones
// examples/demo/site.yaml points its gateways at.
export const simulators = [];
