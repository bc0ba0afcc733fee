/**
 * Routes: when the `from` address gets a new value, write it (mapped, scaled, offset) to the `to`
 * address. A failing route emits `routeError <routeId>` and never stops the others.
 */
import type { GatewaysModule } from './gateways-module.js';

export interface RouteEntry {
  id: number | string;
  from: string;
  to: string;
  scale?: number | undefined;
  offset?: number | undefined;
  map?: Record<string, unknown> | undefined;
}

/** The value written for `value` by a route: mapped if a map entry matches, else scaled numbers. */
export function routeValue(route: RouteEntry, value: unknown): unknown {
  if (route.map && Object.prototype.hasOwnProperty.call(route.map, String(value))) return route.map[String(value)];
  if (typeof value === 'number') return value * (route.scale ?? 1) + (route.offset ?? 0);
  return value;
}

export class RoutesEngine {
  /** route id -> the listener it put on the gateways module, and under which event. */
  private readonly listeners = new Map<string, { event: string; fn: (...args: unknown[]) => void }>();

  constructor(
    private readonly gateways: GatewaysModule,
    routes: RouteEntry[],
  ) {
    for (const r of routes) this.add(r);
  }

  add(route: RouteEntry): void {
    this.remove(route.id);
    const fn = (_address: unknown, value: unknown): void => this.run(route, value);
    const event = `newValue ${this.gateways.book.find(route.from)?.key ?? route.from}`;
    this.gateways.on(event, fn);
    this.listeners.set(String(route.id), { event, fn });
  }

  remove(id: number | string): void {
    const listener = this.listeners.get(String(id));
    if (!listener) return;
    this.gateways.removeListener(listener.event, listener.fn);
    this.listeners.delete(String(id));
  }

  list(): string[] {
    return [...this.listeners.keys()];
  }

  private run(route: RouteEntry, value: unknown): void {
    let out: unknown;
    try {
      out = routeValue(route, value);
    } catch (error) {
      this.fail(route, error as Error);
      return;
    }
    this.gateways.writeValue(route.to, out, (error) => {
      if (error) this.fail(route, error);
    });
  }

  private fail(route: RouteEntry, error: Error): void {
    const wrapped = Object.assign(
      new Error(`route ${route.id} (${route.from} -> ${route.to}) failed: ${error.message}`),
      {
        code: (error as { code?: string }).code ?? 'ROUTE_FAILED',
        routeId: route.id,
      },
    );
    this.gateways.emitBoth(`routeError ${route.id}`, wrapped);
  }
}
