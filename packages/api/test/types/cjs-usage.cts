// The same types from CommonJS TypeScript.
import type api = require('@weble/api');

declare const gateways: api.RemoteGateways;
const read: Promise<unknown> = gateways.readValue('x');
const info: Promise<api.PointInfo> = gateways.getAddress('x').then((address) => address.info);
void [read, info];
