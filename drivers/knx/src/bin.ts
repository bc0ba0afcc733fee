#!/usr/bin/env node
/** `weble-driver-knx`: started by the supervisor (config over IPC) or by hand (--config / WEBLE_CONFIG). */
import { runDriver } from '@weble/driver-kit';
import { definition } from './definition.js';

void runDriver(definition);
