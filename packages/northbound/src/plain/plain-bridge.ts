/**
 * The plain-mode bridge: every selected value goes into the store-and-forward buffer and from there
 * to its topic as retained JSON `{value, quality, ts}`; gateway states and the bridge's own online
 * state (the will sets it offline) on their topics; writes from `<topic>/set` for allow-listed
 * addresses through `gateways.writeValue`, answered on `<topic>/set/result`. Bad input from the
 * broker or the mesh becomes a coded reply or the status's last error, never a crash.
 */
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { BridgeConfig } from '../config/schema.js';
import { BufferedBridge } from '../buffered-bridge.js';
import { NorthboundCode, NorthboundError } from '../errors.js';
import type { SiteAddress } from '../mesh/site-link.js';
import type { ModeBridge, SiteWriter } from '../mode.js';
import { isRefusal, refusedError } from '../mqtt/broker-errors.js';
import type { Will } from '../mqtt/client-options.js';
import { matcher, type AddressRef } from '../selection.js';
import { encodeSetResult, encodeValue, parseSetCommand, type Sample } from './payload.js';
import { renderTopic, resultTopic, setTopic } from './topics.js';

const ONLINE = (online: boolean): Buffer => Buffer.from(JSON.stringify({ online, ts: Date.now() }));

export class PlainBridge extends BufferedBridge implements ModeBridge {
  /** Value topic per address key. */
  private readonly topics = new Map<string, string>();
  private readonly bySetTopic = new Map<string, string>();
  private readonly states = new Map<string, { state: string; detail: string | null }>();
  private readonly writable: (address: AddressRef) => boolean;
  private readonly site: string;
  private readonly statusTopic: string;

  constructor(
    config: BridgeConfig,
    baseDir: string,
    private readonly site_: SiteWriter,
    log: Logger,
  ) {
    super(config, baseDir, log);
    const nb = config.northbound;
    this.site = nb.site ?? config.site;
    this.statusTopic = renderTopic(nb.topics.status, { site: this.site, gateway: '', id: nb.id });
    this.writable = matcher(nb.writable);
  }

  /** Connect to the broker (reconnects by itself) and start periodic sends. */
  start(): void {
    this.startSessions(this.site);
    this.startPeriodic();
  }

  /** Say offline (retained), close the broker link and the buffer. */
  async stop(): Promise<void> {
    this.stopBuffering();
    await this.endSessions(this.will());
    this.queue.close();
  }

  // ---- SiteListener --------------------------------------------------------------------------

  added(address: SiteAddress): void {
    const topic = renderTopic(this.config.northbound.topics.value, {
      site: this.site,
      gateway: String(address.gateway),
      key: address.key,
      id: this.config.northbound.id,
    });
    this.known.set(address.key, { address });
    this.topics.set(address.key, topic);
    this.bySetTopic.set(setTopic(topic), address.key);
    if (this.connected) this.subscribe([setTopic(topic)]);
    const last = address.last;
    if (last && last.value !== undefined)
      this.value(address, last.value, last.date instanceof Date ? last.date : new Date(), []);
  }

  removed(key: string): void {
    const topic = this.topics.get(key);
    this.known.delete(key);
    this.topics.delete(key);
    if (topic === undefined) return;
    this.bySetTopic.delete(setTopic(topic));
    if (this.connected) this.client?.unsubscribe(setTopic(topic));
  }

  gatewayState(gateway: string, state: string, detail: string | null): void {
    this.states.set(gateway, { state, detail });
    if (this.connected) this.publishState(gateway);
  }

  // ---- internals -----------------------------------------------------------------------------

  protected describe(sample: Sample): string {
    return (
      this.topics.get(sample.key) ??
      renderTopic(this.config.northbound.topics.value, {
        site: this.site,
        gateway: '_',
        key: sample.key,
        id: this.config.northbound.id,
      })
    );
  }

  protected publishSample(sample: Sample, done: (error?: Error & { code?: unknown }) => void): void {
    const topic = this.describe(sample);
    const nb = this.config.northbound;
    this.client!.publish(topic, encodeValue(sample), { qos: nb.qos, retain: nb.retain }, (error) =>
      done(error ?? undefined),
    );
  }

  protected will(): Will {
    return { topic: this.statusTopic, payload: ONLINE(false), qos: 1, retain: true };
  }

  protected onSession(client: MqttClient): void {
    client.publish(this.statusTopic, ONLINE(true), { qos: 1, retain: true }, (error) => {
      if (error && isRefusal(error)) this.fail(refusedError(error, this.statusTopic));
    });
    for (const gateway of this.states.keys()) this.publishState(gateway);
    this.subscribe([...this.bySetTopic.keys()]);
  }

  private subscribe(topics: string[]): void {
    if (topics.length === 0) return;
    this.client!.subscribe(topics, { qos: 1 }, (error, granted) => {
      // An error without a reason code is a lost connection: the subscriptions are made again on the next one.
      if (error)
        return isRefusal(error)
          ? this.fail(refusedError(error, topics.length === 1 ? topics[0]! : `${topics.length} write topics`))
          : undefined;
      const refused = (granted ?? []).filter((g) => g.qos >= 0x80);
      if (refused.length > 0)
        this.fail(
          new NorthboundError(
            NorthboundCode.NOT_AUTHORIZED,
            `broker refused the subscription to ${refused
              .map((g) => g.topic)
              .slice(0, 3)
              .join(', ')}${refused.length > 3 ? ` and ${refused.length - 3} more` : ''}`,
          ),
        );
    });
  }

  private publishState(gateway: string): void {
    const s = this.states.get(gateway);
    if (!s) return;
    const topic = renderTopic(this.config.northbound.topics.gatewayState, {
      site: this.site,
      gateway,
      id: this.config.northbound.id,
    });
    this.client!.publish(
      topic,
      Buffer.from(JSON.stringify({ state: s.state, detail: s.detail, ts: Date.now() })),
      { qos: 1, retain: true },
      (error) => {
        if (error && isRefusal(error)) this.fail(refusedError(error, topic));
      },
    );
  }

  protected onBrokerMessage(topic: string, payload: Buffer): void {
    const key = this.bySetTopic.get(topic);
    const known = key === undefined ? undefined : this.known.get(key);
    const valueTopic = key === undefined ? undefined : this.topics.get(key);
    if (!known || valueTopic === undefined) return;
    const answer = (id: string | number | undefined, error: { code?: unknown; message: string } | null): void => {
      if (error) this.counters.writesFailed++;
      else this.counters.writesOk++;
      this.client?.publish(resultTopic(valueTopic), encodeSetResult(id, error), { qos: 1, retain: false }, (e) => {
        if (e && isRefusal(e)) this.fail(refusedError(e, resultTopic(valueTopic)));
      });
    };
    const command = parseSetCommand(payload, topic);
    if (command instanceof NorthboundError) return answer(undefined, command);
    if (!this.writable(known.address)) {
      return answer(
        command.id,
        new NorthboundError(
          NorthboundCode.WRITE_NOT_ALLOWED,
          `${known.address.key}: not on the writable list of northbound ${this.config.northbound.id}`,
        ),
      );
    }
    this.site_.write(known.address.key, command.value).then(
      () => answer(command.id, null),
      (error: Error & { code?: unknown }) =>
        answer(command.id, { code: error.code ?? NorthboundCode.WRITE_FAILED, message: error.message }),
    );
  }
}
