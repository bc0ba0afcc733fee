// A demo peer that writes a simulated temperature to gateways every second.
import createPeers from '@weble/peers-core';
import { exitWithParent } from './exit-with-parent.mjs';

const peers = createPeers('driver_virtual_1');
peers.connect(process.argv[2]);
let timer;
peers.on('connect supervision', () => {
  peers('supervision').require('gateways', (err, gateways) => {
    if (err) return console.log(`sensor: require failed: ${err.message}`);
    clearInterval(timer);
    let t = 0;
    timer = setInterval(() => {
      const temp = Math.round((21 + 2 * Math.sin(t++ / 5)) * 10) / 10;
      gateways.writeValue('4/7/25', temp, (e) => e && console.log(`sensor: write failed: ${e.code} ${e.message}`));
    }, 1000);
  });
});
peers.on('disconnect supervision', () => clearInterval(timer));
exitWithParent(() => {
  clearInterval(timer);
  return peers.close();
});
