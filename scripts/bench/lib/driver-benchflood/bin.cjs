#!/usr/bin/env node
/** `weble-driver-benchflood`: started by the supervisor of a bench site (see index.cjs). */
const { runDriver } = require('@weble/driver-kit');
const { definition } = require('./index.cjs');

void runDriver(definition);
