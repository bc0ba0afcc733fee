/**
 * Debian's mosquitto, started by a test on a free loopback port with its own config file and its
 * persistence in the test's temp dir (never the package's system service). `stop()` and `start()`
 * take it down and up again on the same port, keeping its persistence (sessions, retained messages).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

const BINARY = ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p)) ?? 'mosquitto';

export interface Broker {
  port: number;
  url: string;
  dir: string;
  /** Everything mosquitto logged. */
  output(): string;
  /** Stop it (SIGTERM: it saves its persistence) and wait for the exit. */
  stop(): Promise<void>;
  /** Start it again on the same port. */
  start(): Promise<void>;
  /** Stop it and remove its directory. */
  close(): Promise<void>;
}

/** Options: more config lines (listeners with TLS, password_file, acl_file...), files to write first. */
export interface BrokerOptions {
  config?: (dir: string, port: number) => string[];
  /** Also listen with these lines instead of the plain listener (e.g. a TLS listener). */
  listener?: (dir: string, port: number) => string[];
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Start mosquitto; a port taken between probing and binding is retried with another. */
export async function startMosquitto(options: BrokerOptions = {}): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'weble-mqtt-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      return await launch(dir, port, options);
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

async function launch(dir: string, port: number, options: BrokerOptions): Promise<Broker> {
  const lines = [
    ...(options.listener ? options.listener(dir, port) : [`listener ${port} 127.0.0.1`]),
    'allow_anonymous true',
    'persistence true',
    `persistence_location ${dir}/`,
    // Queue for offline persistent sessions without a limit (the default 1000 would drop values).
    'max_queued_messages 0',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    ...(options.config ? options.config(dir, port) : []),
  ];
  const file = join(dir, 'mosquitto.conf');
  writeFileSync(file, `${lines.join('\n')}\n`);
  let output = '';
  let child: ChildProcess | undefined;
  const up = async (): Promise<void> => {
    const proc = spawn(BINARY, ['-c', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`mosquitto did not start within 10 s:\n${output.slice(-2000)}`)),
        10_000,
      );
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/mosquitto version \S+ running/.test(output.slice(-4000))) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stderr!.on('data', onData);
      proc.stdout!.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`mosquitto exited with code ${code}:\n${output.slice(-2000)}`));
      });
    });
  };
  const down = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  };
  await up();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    output: () => output,
    stop: down,
    start: up,
    async close() {
      await down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A message a test subscriber received. */
export interface Received {
  topic: string;
  payload: Buffer;
  retain: boolean;
  /** The QoS it was delivered with (the lower of the publisher's and the subscription's). */
  qos: number;
}

/** An independent MQTT.js subscriber that records every message and lets a test wait for one. */
export class Subscriber {
  readonly messages: Received[] = [];
  private waiters: Array<{ match: (m: Received) => boolean; resolve: (m: Received) => void }> = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const m = { topic, payload, retain: packet.retain, qos: packet.qos };
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
    });
  }

  /** Connect and subscribe (QoS 1) to `topics`. */
  static async connect(url: string, topics: string[], options: IClientOptions = {}): Promise<Subscriber> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 100, ...options });
    const subscriber = new Subscriber(client);
    await client.subscribeAsync(topics, { qos: 1 });
    return subscriber;
  }

  /** The first message (already received or coming) that matches, within `ms`. */
  next(what: string, match: (m: Received) => boolean, ms = 10_000): Promise<Received> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no MQTT message for ${what} within ${ms} ms (got ${this.messages.length}: ${this.messages
                .slice(-5)
                .map((m) => `${m.topic} ${m.payload.toString().slice(0, 80)}`)
                .join(' | ')})`,
            ),
          ),
        ms,
      );
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** JSON of a message's payload. */
  static json(m: Received): Record<string, unknown> {
    return JSON.parse(m.payload.toString('utf8')) as Record<string, unknown>;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
