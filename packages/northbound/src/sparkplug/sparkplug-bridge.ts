/**
 * The Sparkplug B 3.0 bridge: the site is an edge node (`spBv1.0/<group>/.../<edge node>`), each
 * gateway a device named by its id. NBIRTH carries bdSeq and `Node Control/Rebirth`; the will is the
 * NDEATH with the same bdSeq; DBIRTH when a gateway is online (every published address as a metric
 * with its alias and datatype), DDEATH when it is not; DDATA by alias from the buffer (values older
 * than the session marked historical); seq 0-255 on every message after NBIRTH. NCMD
 * `Node Control/Rebirth` births again; DCMD writes go through the allow-list to `gateways.writeValue`.
 * Each MQTT session uses a new client: what was in flight is read again from the buffer after the
 * next NBIRTH, never sent before it.
 */
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { BufferedBridge } from '../buffered-bridge.js';
import type { BridgeConfig } from '../config/schema.js';
import { NorthboundCode, NorthboundError } from '../errors.js';
import type { SiteAddress } from '../mesh/site-link.js';
import type { ModeBridge, SiteWriter } from '../mode.js';
import { isRefusal, refusedError } from '../mqtt/broker-errors.js';
import type { Will } from '../mqtt/client-options.js';
import type { Sample } from '../plain/payload.js';
import { matcher, type AddressRef } from '../selection.js';
import { nextBdSeq } from './bd-seq.js';
import { decodeCommand, encodeSparkplug, type CommandMetric, type UMetric } from './codec.js';
import { metricType, metricValue, type MetricType } from './metrics.js';
import { dcmdDevice, deviceTopic, nodeTopic, sparkplugId } from './topics.js';

/** The node control metric that asks for a rebirth (spec §6.4.16). */
export const REBIRTH_METRIC = 'Node Control/Rebirth';

interface Metric {
  alias: number;
  type?: MetricType;
}

export class SparkplugBridge extends BufferedBridge implements ModeBridge {
  private readonly group: string;
  private readonly node: string;
  private readonly metrics = new Map<string, Metric>();
  private readonly states = new Map<string, string>();
  private readonly born = new Set<string>();
  private readonly writable: (address: AddressRef) => boolean;
  private nextAlias = 1;
  private bdSeq = 0;
  private seq = 0;
  private sessionStart = 0;

  constructor(
    config: BridgeConfig,
    baseDir: string,
    private readonly site: SiteWriter,
    log: Logger,
  ) {
    super(config, baseDir, log);
    const nb = config.northbound;
    this.group = nb.sparkplug.groupId;
    this.node = nb.sparkplug.edgeNodeId ?? nb.site ?? config.site;
    this.writable = matcher(nb.writable);
  }

  start(): void {
    this.startSessions(this.node);
    this.startPeriodic();
  }

  async stop(): Promise<void> {
    this.stopBuffering();
    // A graceful end says NDEATH itself (the will is only for the ungraceful ones).
    await this.endSessions({
      topic: nodeTopic(this.group, 'NDEATH', this.node),
      payload: this.ndeath(),
      qos: 1,
      retain: false,
    });
    this.queue.close();
  }

  // ---- SiteListener --------------------------------------------------------------------------

  added(address: SiteAddress): void {
    this.known.set(address.key, { address });
    if (!this.metrics.has(address.key)) this.metrics.set(address.key, { alias: this.nextAlias++ });
    const last = address.last;
    if (last && last.value !== undefined)
      this.value(address, last.value, last.date instanceof Date ? last.date : new Date(), []);
    // A new metric needs a new birth of its device (§6.4.9): announce it.
    const device = String(address.gateway);
    if (this.born.has(device)) this.deviceBirth(device);
  }

  removed(key: string): void {
    const known = this.known.get(key);
    this.known.delete(key);
    if (known && this.born.has(String(known.address.gateway))) this.deviceBirth(String(known.address.gateway));
  }

  gatewayState(gateway: string, state: string): void {
    this.states.set(gateway, state);
    if (!this.connected) return;
    if (state === 'online' && !this.born.has(gateway)) this.deviceBirth(gateway);
    else if (state !== 'online' && this.born.has(gateway)) this.deviceDeath(gateway);
  }

  // ---- the session -------------------------------------------------------------------------

  /** A new session: the next bdSeq, and its NDEATH as the will. */
  protected will(): Will {
    this.bdSeq = nextBdSeq(this.config.bufferDir);
    return { topic: nodeTopic(this.group, 'NDEATH', this.node), payload: this.ndeath(), qos: 1, retain: false };
  }

  protected onSession(client: MqttClient): void {
    this.sessionStart = Date.now();
    this.log.info({ bdSeq: this.bdSeq }, 'edge node session');
    // Commands first (§6.4.5: subscribe to NCMD before NBIRTH), then the births, then the data.
    client.subscribe(
      [nodeTopic(this.group, 'NCMD', this.node), `${deviceTopic(this.group, 'DCMD', this.node, '')}+`],
      { qos: 1 },
      (error, granted) => {
        const refused = (granted ?? []).filter((g) => g.qos >= 0x80);
        if ((error && isRefusal(error)) || refused.length > 0)
          this.fail(
            new NorthboundError(
              NorthboundCode.NOT_AUTHORIZED,
              `broker refused the subscription to the commands of ${this.node}`,
            ),
          );
      },
    );
    this.birth();
  }

  protected override onSessionEnd(): void {
    this.born.clear();
  }

  /** NBIRTH (seq 0) and a DBIRTH for every online gateway. */
  private birth(): void {
    this.seq = 0;
    this.born.clear();
    const metrics: UMetric[] = [
      { name: 'bdSeq', type: 'UInt64', value: this.bdSeq },
      { name: REBIRTH_METRIC, type: 'Boolean', value: false },
    ];
    this.send(nodeTopic(this.group, 'NBIRTH', this.node), { timestamp: Date.now(), seq: this.nextSeq(), metrics }, 0);
    for (const [gateway, state] of this.states) if (state === 'online') this.deviceBirth(gateway);
  }

  private deviceBirth(gateway: string): void {
    if (!this.connected) return;
    const metrics: UMetric[] = [];
    for (const known of this.known.values()) {
      if (String(known.address.gateway) !== gateway) continue;
      const metric = this.metrics.get(known.address.key)!;
      const value = known.lastSample?.value ?? null;
      metric.type ??= metricType(known.address.point, value);
      metrics.push(this.metric(metric, known.address.key, value, known.lastSample?.ts ?? Date.now(), false));
    }
    this.send(
      deviceTopic(this.group, 'DBIRTH', this.node, gateway),
      { timestamp: Date.now(), seq: this.nextSeq(), metrics },
      0,
    );
    this.born.add(gateway);
  }

  private deviceDeath(gateway: string): void {
    this.born.delete(gateway);
    this.send(
      deviceTopic(this.group, 'DDEATH', this.node, gateway),
      { timestamp: Date.now(), seq: this.nextSeq(), metrics: [] },
      0,
    );
  }

  /** The NDEATH payload: bdSeq only, no seq (§6.4.7). */
  private ndeath(): Buffer {
    return encodeSparkplug({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: this.bdSeq }] });
  }

  private metric(m: Metric, name: string | undefined, value: unknown, ts: number, historical: boolean): UMetric {
    const type = m.type ?? 'String';
    const v = metricValue(type, value);
    return {
      ...(name !== undefined ? { name } : {}),
      alias: m.alias,
      type,
      value: v,
      timestamp: ts,
      ...(v === null ? { isNull: true } : {}),
      ...(historical ? { isHistorical: true } : {}),
    };
  }

  private nextSeq(): number {
    const seq = this.seq;
    this.seq = (this.seq + 1) % 256;
    return seq;
  }

  private send(
    topic: string,
    payload: Parameters<typeof encodeSparkplug>[0],
    qos: 0 | 1,
    done?: (error?: Error & { code?: unknown }) => void,
  ): void {
    this.client!.publish(topic, encodeSparkplug(payload), { qos, retain: false }, (error) => {
      if (error && isRefusal(error) && !done) this.fail(refusedError(error, topic));
      done?.(error ?? undefined);
    });
  }

  // ---- values and commands -----------------------------------------------------------------

  protected describe(sample: Sample): string {
    const gateway = this.known.get(sample.key)?.address.gateway;
    return deviceTopic(this.group, 'DDATA', this.node, sparkplugId(String(gateway ?? '?')));
  }

  protected publishSample(sample: Sample, done: (error?: Error & { code?: unknown }) => void): void {
    const known = this.known.get(sample.key);
    const metric = this.metrics.get(sample.key);
    const gateway = known ? String(known.address.gateway) : undefined;
    // A value of an address no longer published, or of a device that is dead now, has no
    // birth to refer to (§6.4.10): it is skipped.
    if (!known || !metric || gateway === undefined || !this.born.has(gateway)) return done();
    metric.type ??= metricType(known.address.point, sample.value);
    const historical = sample.ts < this.sessionStart;
    this.send(
      this.describe(sample),
      {
        timestamp: Date.now(),
        seq: this.nextSeq(),
        metrics: [this.metric(metric, undefined, sample.value, sample.ts, historical)],
      },
      this.config.northbound.qos,
      done,
    );
  }

  protected onBrokerMessage(topic: string, payload: Buffer): void {
    const decoded = decodeCommand(payload, topic);
    if (decoded instanceof NorthboundError) return this.fail(decoded);
    if (topic === nodeTopic(this.group, 'NCMD', this.node)) {
      if (decoded.some((m) => m.name === REBIRTH_METRIC && m.value === true)) {
        this.log.info('rebirth asked for');
        this.birth();
      }
      return;
    }
    const device = dcmdDevice(topic, this.group, this.node);
    if (device !== undefined) for (const metric of decoded) this.write(device, metric, topic);
  }

  private write(device: string, command: CommandMetric, topic: string): void {
    const known = [...this.known.values()].find((k) => {
      if (sparkplugId(String(k.address.gateway)) !== device) return false;
      return command.name !== undefined
        ? command.name === k.address.key
        : this.metrics.get(k.address.key)?.alias === command.alias;
    });
    const label = command.name ?? `alias ${command.alias}`;
    if (!known) {
      this.counters.writesFailed++;
      return this.fail(
        new NorthboundError(NorthboundCode.BAD_COMMAND, `${topic}: device ${device} has no metric ${label}`),
      );
    }
    if (!this.writable(known.address)) {
      this.counters.writesFailed++;
      return this.fail(
        new NorthboundError(
          NorthboundCode.WRITE_NOT_ALLOWED,
          `${topic}: ${known.address.key} is not on the writable list of northbound ${this.config.northbound.id}`,
        ),
      );
    }
    this.site.write(known.address.key, command.value).then(
      () => this.counters.writesOk++,
      (error: Error & { code?: unknown }) => {
        this.counters.writesFailed++;
        this.fail(
          new NorthboundError(
            NorthboundCode.WRITE_FAILED,
            `${topic}: writing ${known.address.key} failed: ${typeof error.code === 'string' ? `${error.code}: ` : ''}${error.message}`,
          ),
        );
      },
    );
  }
}
