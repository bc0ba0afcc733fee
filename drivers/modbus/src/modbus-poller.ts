/**
 * The driver-owned poll: the points grouped by interval, each group planned into the fewest
 * requests, each group ticking at its own fixed rate through the line's bounded queue (a group
 * still queued at its next tick is skipped and counted). Values are reported by exception, with
 * an optional deadband; unit health and skipped cycles show in the gateway's state detail.
 */
import { abortableDelay, monotonicMs, type PollContext } from '@weble/driver-kit';
import { ModbusCode, ModbusError } from './errors.js';
import type { ModbusLine } from './modbus-line.js';
import { decodePoint, planItem } from './point-io.js';
import { planRequests, splitRequest, type ReadRequest } from './request-planner.js';
import type { ModbusConfig, ModbusPoint } from './schemas.js';
import { describeOffline } from './unit-health.js';

/** One poll group: the points polled every `ms`, as planned requests. */
export interface PollGroup {
  ms: number;
  requests: Array<ReadRequest<string>>;
}

/** Group the points by poll interval and plan each group's requests. Pure. */
export function planGroups(
  addresses: ReadonlyArray<{ key: string; point: ModbusPoint }>,
  config: ModbusConfig,
): PollGroup[] {
  const byMs = new Map<number, Array<{ key: string; point: ModbusPoint }>>();
  for (const address of addresses) {
    const ms = address.point.pollMs ?? config.pollMs;
    byMs.set(ms, [...(byMs.get(ms) ?? []), address]);
  }
  return [...byMs.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ms, list]) => ({
      ms,
      requests: planRequests(
        list.map((a) => planItem(a.key, a.point, config)),
        config,
      ),
    }));
}

export class ModbusPoller {
  private readonly points = new Map<string, ModbusPoint>();
  private readonly units = new Set<number>();
  private readonly lastNumbers = new Map<string, number>();
  private readonly groups: PollGroup[];

  constructor(
    private readonly line: ModbusLine,
    private readonly ctx: PollContext<ModbusConfig, ModbusPoint>,
  ) {
    for (const { key, point } of ctx.addresses) {
      this.points.set(key, point);
      this.units.add(point.unit ?? line.config.unitId);
    }
    this.groups = planGroups(ctx.addresses, line.config);
    ctx.log.info(
      { groups: this.groups.map((g) => ({ ms: g.ms, requests: g.requests.length })) },
      `polling ${this.points.size} points in ${this.groups.reduce((n, g) => n + g.requests.length, 0)} requests`,
    );
  }

  /** Poll until the connection's signal aborts. */
  async run(): Promise<void> {
    await Promise.all(this.groups.map((group) => this.tick(group)));
  }

  private async tick(group: PollGroup): Promise<void> {
    const { signal } = this.ctx;
    let next = monotonicMs();
    while (!signal.aborted) {
      const cycle = this.line.queue.poll(
        String(group.ms),
        group.requests.map((request) => () => this.read(group, request)),
      );
      if (cycle) void cycle.then(() => this.ctx.cycle());
      else this.skipped(group);
      next += group.ms;
      const wait = next - monotonicMs();
      if (wait <= 0) next = monotonicMs();
      await abortableDelay(Math.max(0, wait), signal);
    }
  }

  /** One request of a group, inside a queue job; never throws. */
  private async read(group: PollGroup, request: ReadRequest<string>): Promise<void> {
    if (this.ctx.signal.aborted || !this.line.units.shouldSend(request.unit)) return;
    const keys = request.items.map(({ item }) => item.key);
    try {
      const reply = await this.line.read(request);
      this.answered(request.unit);
      for (const { item, offset } of request.items)
        this.report(item.key, decodePoint(this.points.get(item.key)!, reply, offset));
      this.ctx.recovered(keys);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (failure instanceof ModbusError && failure.exception !== undefined) this.answered(request.unit);
      if (failure instanceof ModbusError && failure.code === ModbusCode.ILLEGAL_ADDRESS && request.items.length > 1) {
        // A merged request crossed addresses the device lacks: read its points one by one from now on.
        const parts = splitRequest(request);
        group.requests.splice(group.requests.indexOf(request), 1, ...parts);
        this.ctx.log.info(
          { unit: request.unit, start: request.start, count: request.count },
          `split a merged read into ${parts.length}: ${failure.message}`,
        );
        for (const part of parts) await this.read(group, part);
        return;
      }
      if (failure instanceof ModbusError && failure.code === ModbusCode.TIMEOUT)
        this.silent(request.unit, failure.message);
      this.ctx.failed(keys, failure);
    }
  }

  /** Report by exception, numbers only when they moved at least their deadband. */
  private report(key: string, value: boolean | number | string): void {
    const deadband = this.points.get(key)?.deadband;
    if (deadband !== undefined && typeof value === 'number') {
      const last = this.lastNumbers.get(key);
      if (last !== undefined && Math.abs(value - last) < deadband) return this.ctx.markRead?.(key);
      if (this.ctx.emitValue(key, value)) this.lastNumbers.set(key, value);
      return;
    }
    this.ctx.emitValue(key, value);
  }

  private answered(unit: number): void {
    if (this.line.units.answered(unit)) {
      this.ctx.log.info({ unit }, `unit ${unit} answers again`);
      this.updateState();
    }
  }

  private silent(unit: number, reason: string): void {
    if (this.line.units.silent(unit, reason)) {
      this.ctx.log.warn(
        { unit },
        `unit ${unit} is not answering: ${reason}; retried every ${this.line.config.deadUnitRetryMs} ms`,
      );
      this.updateState();
    }
  }

  private skipped(group: PollGroup): void {
    const count = this.line.queue.skipped.get(String(group.ms)) ?? 0;
    if (count === 1 || count % 100 === 0) {
      this.ctx.log.warn(
        { pollMs: group.ms, skipped: count },
        `poll group ${group.ms} ms still queued at its next tick: ${count} cycles skipped so far`,
      );
    }
    this.updateState();
  }

  /** Offline when no unit answers; online with a detail naming the silent units and the skipped cycles. */
  private updateState(): void {
    const offline = this.line.units.list().filter((u) => this.units.has(u.unit));
    const skipped = this.line.queue.skippedTotal;
    const parts = [
      offline.length > 0 ? describeOffline(offline) : undefined,
      skipped > 0 ? `${skipped} poll cycles skipped (device slower than the poll interval)` : undefined,
    ].filter((part): part is string => part !== undefined);
    if (offline.length > 0 && offline.length === this.units.size)
      this.ctx.setState('offline', `no unit answers: ${parts.join('; ')}`);
    else this.ctx.setState('online', parts.length > 0 ? parts.join('; ') : undefined);
  }
}
