/** Shared set-up of the virtual driver's process tests: the built bin and configurations. */
import { fileURLToPath } from 'node:url';

/** The built bin (`pnpm build` first). */
export const BIN = fileURLToPath(new URL('../dist/bin.cjs', import.meta.url));

/** The intermediate parent of the no-orphan tests. */
export const PARENT = fileURLToPath(new URL('./fixtures/parent.mjs', import.meta.url));

/** A gateway `id` of the virtual driver with the given addresses. */
export function virtualConfig(
  id: number,
  addresses: unknown[],
  config: Record<string, unknown> = { tickMs: 20 },
): { gateway: unknown; addresses: unknown[] } {
  return { gateway: { id, type: 'virtual', name: `virtual ${id}`, config }, addresses };
}

/** One address of each kind, two of them simulated. */
export const ADDRESSES = [
  { key: '4/7/25', name: 'supply_temp', alias: 'boiler.supply', point: { type: 'number', initial: 21.5 } },
  { key: 'flag', point: { type: 'boolean' } },
  { key: 'label', point: { type: 'string', initial: 'hello' } },
  { key: 'blob', point: { type: 'json', initial: { a: [1] } } },
  { key: 'wave', point: { type: 'number', simulate: { kind: 'sine', min: 0, max: 100, periodMs: 400 } } },
  { key: 'walk', point: { type: 'number', simulate: { kind: 'random-walk', min: 0, max: 10, step: 1 } } },
];
