/**
 * MQTT.js options from a `northbound[]` entry: the broker list, protocol version, client id,
 * credentials, TLS files (read here, so a missing file is one coded error at start), keepalive,
 * reconnect delay and the will.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IClientOptions } from 'mqtt';
import type { NorthboundConfig } from '../config/schema.js';
import { NorthboundCode, NorthboundError } from '../errors.js';

/** A message MQTT.js sends for us when the connection dies (the will). */
export interface Will {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
}

/**
 * MQTT.js logs through `debug` about fifteen times per message, and each call costs even when the
 * log is off (11 % of the samples of a CPU profile of the bridge in the northbound bench): its log
 * is used only when `DEBUG` asks for it (`DEBUG=mqttjs*`).
 */
const mqttDebug = /mqttjs|^\*$|,\*/.test(process.env.DEBUG ?? '');
const noLog = (): void => {};

const DEFAULT_PORTS: Record<string, number> = { 'mqtt:': 1883, 'mqtts:': 8883, 'ws:': 80, 'wss:': 443 };

/** The broker URLs as MQTT.js `servers` (host, port, protocol), tried in turn on reconnect. */
export function brokerServers(
  urls: readonly string[],
): Array<{ host: string; port: number; protocol: 'mqtt' | 'mqtts' | 'ws' | 'wss' }> {
  return urls.map((text) => {
    const url = new URL(text);
    const protocol = url.protocol.slice(0, -1) as 'mqtt' | 'mqtts' | 'ws' | 'wss';
    return {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol]!,
      protocol,
    };
  });
}

function readTlsFile(baseDir: string, path: string, what: string, id: string): Buffer {
  const file = resolve(baseDir, path);
  try {
    return readFileSync(file);
  } catch (error) {
    throw new NorthboundError(
      NorthboundCode.TLS_FILE,
      `northbound ${id}: tls.${what}: cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Options for `mqtt.connect(options)`. Relative TLS paths are resolved against `baseDir`. */
export function clientOptions(config: NorthboundConfig, site: string, baseDir: string, will?: Will): IClientOptions {
  const first = new URL(config.brokers[0]!);
  const options: IClientOptions = {
    servers: brokerServers(config.brokers),
    protocol: first.protocol.slice(0, -1) as 'mqtt' | 'mqtts' | 'ws' | 'wss',
    host: first.hostname,
    ...(first.pathname && first.pathname !== '/' ? { path: first.pathname } : {}),
    protocolVersion: config.protocolVersion,
    clientId: config.clientId ?? `weble-${site}-${config.id}`,
    keepalive: config.keepaliveS,
    reconnectPeriod: config.reconnectMs,
    connectTimeout: 10_000,
    reconnectOnConnackError: true,
    clean: true,
    // Values go out only while connected; nothing is queued by MQTT.js (the buffer does that).
    queueQoSZero: false,
    resubscribe: true,
    // A PINGREQ every keepalive whatever the traffic. MQTT.js's default moves the ping timer at
    // every packet sent (a clearTimeout and setTimeout per value: 12 % of the samples of a CPU
    // profile of the bridge in the northbound bench).
    reschedulePings: false,
  };
  if (!mqttDebug) options.log = noLog;
  if (will) options.will = { topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain };
  if (config.username !== undefined) options.username = config.username;
  if (config.password !== undefined) options.password = config.password;
  const tls = config.tls;
  if (tls) {
    options.rejectUnauthorized = tls.rejectUnauthorized;
    if (tls.ca !== undefined) options.ca = readTlsFile(baseDir, tls.ca, 'ca', config.id);
    if (tls.cert !== undefined) options.cert = readTlsFile(baseDir, tls.cert, 'cert', config.id);
    if (tls.key !== undefined) options.key = readTlsFile(baseDir, tls.key, 'key', config.id);
  }
  return options;
}
