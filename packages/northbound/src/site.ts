/**
 * `@weble/northbound/site`: what the supervisor needs, without the bridge itself (no MQTT.js, no
 * Sparkplug library loaded into the supervisor): the site.yaml schema of the `northbound` section
 * and the process contract.
 */
export { northboundSchema, bridgeConfigSchema, type NorthboundConfig, type BridgeConfig } from './config/schema.js';
export {
  NORTHBOUND_MODULE,
  NORTHBOUND_CONFIG_TYPE,
  NorthboundEnv,
  northboundPeerName,
  type BridgeStatus,
  type BridgeError,
} from './contract.js';
