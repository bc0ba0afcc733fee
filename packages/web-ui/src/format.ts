/** Display formats: durations, byte sizes, values and times. Pure. */

/** `3 d 4 h`, `2 h 5 min`, `4 min 10 s`, `12 s`; `—` for null. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const hours = Math.floor(m / 60);
  if (hours < 24) return `${hours} h ${m % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** `12.3 MiB`; `—` for null. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

const FLAG_NAMES: Record<string, string> = {
  inAlarm: 'in alarm',
  fault: 'fault',
  overridden: 'overridden',
  outOfService: 'out of service',
};
/** Longest text of an object value in a cell; the whole value is in the cell's title. */
const MAX_JSON = 60;

/** A value with its status flags, as drivers report it (BACnet points with `status: true`). */
function isFlagged(value: object): value is { value: unknown; flags: Record<string, unknown> } {
  const keys = Object.keys(value);
  return (
    keys.length === 2 && 'value' in value && 'flags' in value && typeof (value as { flags: unknown }).flags === 'object'
  );
}

/**
 * A value for a table cell: numbers rounded to 4 decimals (float32 noise); a value with status
 * flags as the value followed by the flags that are set (`11.4 · fault`); other objects as JSON,
 * cut at 60 characters.
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object' && isFlagged(value)) {
    const set = Object.entries(value.flags ?? {})
      .filter(([, on]) => on === true)
      .map(([name]) => FLAG_NAMES[name] ?? name);
    return set.length > 0 ? `${formatValue(value.value)} · ${set.join(', ')}` : formatValue(value.value);
  }
  const json = JSON.stringify(value);
  return json.length > MAX_JSON ? `${json.slice(0, MAX_JSON - 1)}…` : json;
}

/** `14:03:27` for today, else `2025-11-24 14:03`. */
export function formatTime(date: Date | string | null | undefined, now = new Date()): string {
  if (!date) return '—';
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return '—';
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return d.toDateString() === now.toDateString()
    ? time
    : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time.slice(0, 5)}`;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields of a pino line that the formatted line shows elsewhere or leaves out. */
const QUIET = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'v']);

/** `2026-12-05 14:03:27.120`: a log line's local date and time, to the millisecond. */
export function formatLogTime(date: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A log line made readable: its text, level, and the stack of the error it carries. */
export interface LogLine {
  text: string;
  /** `trace` .. `fatal`, or `plain` for a line that is not pino JSON. */
  level: string;
  /** The stack trace of the line's `err`, one frame a line. */
  stack?: string;
}

/**
 * A log line for reading: a pino JSON line becomes `2026-12-05 14:03:27.120 WARN msg key=value…`
 * with its level (`info`, `warn`, `error`…) and an error's stack apart; any other line is kept as
 * it is, level `plain`.
 */
export function formatLogLine(line: string): LogLine {
  if (!line.startsWith('{')) return { text: line, level: 'plain' };
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { text: line, level: 'plain' };
  }
  if (typeof record.level !== 'number' || typeof record.msg !== 'string') return { text: line, level: 'plain' };
  const level = LEVELS[record.level] ?? String(record.level);
  const time = typeof record.time === 'number' ? formatLogTime(new Date(record.time)) : '';
  const err = record.err as { type?: unknown; message?: unknown; stack?: unknown } | undefined;
  const stack = typeof err?.stack === 'string' ? err.stack : undefined;
  const fields = Object.entries(record)
    .filter(([key]) => !QUIET.has(key))
    .map(([key, value]) => {
      if (key === 'err' && err && typeof err === 'object')
        return `err=${typeof err.type === 'string' ? `${err.type}: ` : ''}${String(err.message ?? '')}`;
      return `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
    });
  const text = [time, level.padEnd(5), record.msg, ...fields].filter(Boolean).join(' ');
  return { text, level: level.toLowerCase(), ...(stack ? { stack } : {}) };
}
