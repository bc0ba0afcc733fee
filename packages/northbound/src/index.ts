/**
 * @weble/northbound: the bridge from a site to an existing MQTT broker. The supervisor imports the
 * `northbound` site.yaml schema and the process contract from here; the bin `weble-northbound` runs
 * one bridge.
 */
export {
  northboundSchema,
  bridgeConfigSchema,
  publishSchema,
  topicsSchema,
  bufferSchema,
  northboundTlsSchema,
  sparkplugSchema,
  type NorthboundConfig,
  type BridgeConfig,
} from './config/schema.js';
export {
  NORTHBOUND_MODULE,
  NORTHBOUND_CONFIG_TYPE,
  NorthboundEnv,
  northboundPeerName,
  type BridgeStatus,
  type BridgeError,
} from './contract.js';
export { NorthboundCode, NorthboundError, type NorthboundErrorCode } from './errors.js';
export { startBridge, type StartBridgeOptions, type RunningBridge } from './start-bridge.js';
export { renderTopic, setTopic, resultTopic, topicSafe, type TopicFields } from './plain/topics.js';
export { encodeValue, parseSetCommand, encodeSetResult, type Sample, type SetCommand } from './plain/payload.js';
export { qualityOf, type Quality } from './quality.js';
export { DiskQueue, type DiskQueueOptions, type QueuedSample } from './store/disk-queue.js';
export { decodeSparkplug, encodeSparkplug, decodeCommand, type CommandMetric } from './sparkplug/codec.js';
export { metricType, metricValue, type MetricType } from './sparkplug/metrics.js';
export { nodeTopic, deviceTopic, SPARKPLUG_NAMESPACE } from './sparkplug/topics.js';
export { REBIRTH_METRIC } from './sparkplug/sparkplug-bridge.js';
