// A demo peer that listens to the temperature and asks the hub for its memory (seed 000 style).
import createPeers from '@weble/peers-core';
import { exitWithParent } from './exit-with-parent.mjs';

const peers = createPeers('logic_display');
peers.connect(process.argv[2]);
function onValue(address, value, valueString, date) {
  console.log(`display: ${address} = ${value} at ${date.toISOString()} (listeners: ${peers.listenerCount()})`);
}
function attach() {
  peers('supervision').require('gateways', (err, gateways) => {
    if (err) return console.log(`display: ${err.message}`);
    gateways.on('newValue 4/7/25', onValue);
  });
  peers('supervision').require('system', (err, system) => {
    if (err) return;
    system.totalmem((e, bytes) => console.log(`display: supervision reports total memory ${Math.round(bytes / 2 ** 20)} MiB`));
  });
}
function detach() {
  peers('supervision').require('gateways', (err, gateways) => {
    if (!err) gateways.removeListener('newValue 4/7/25', onValue);
  });
}
peers.on('connect supervision', attach);
peers.on('disconnect supervision', detach);
exitWithParent(() => peers.close());
