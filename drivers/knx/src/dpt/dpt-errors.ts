/** The error table as the datapoint layer uses it, and a short description of a bad value. */
export { KnxCode, KnxError } from '../errors.js';

/** `string ("warm")`, `number (300)`, `object {"r":1}`, `null`: what a message shows of a value. */
export function describeValueShort(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    let text: string;
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
    return `${Array.isArray(value) ? 'array' : 'object'} ${text.length > 60 ? `${text.slice(0, 60)}...` : text}`;
  }
  if (typeof value === 'string')
    return `string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
  return `${typeof value} (${String(value)})`;
}
