'use strict';
// A bare Node process for baselines: says ready, then idles until its parent goes away.
process.send('ready');
process.on('disconnect', () => process.exit(0));
setInterval(() => {}, 1e6);
