/** The `status` command's table: processes aligned in columns, stderr lines under a failed one, a bridge's status under it. */
import type { ProcessInfo } from './status-client.js';

export function duration(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor(s / 3600) % 24, 'h'],
    [Math.floor(s / 60) % 60, 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return first === -1
    ? '0s'
    : parts
        .slice(first, first + 2)
        .map(([n, unit]) => `${n}${unit}`)
        .join(' ');
}

function bytes(size: number | null): string {
  if (size === null) return '-';
  return size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MiB` : `${(size / 1024).toFixed(0)} KiB`;
}

/** The processes as an aligned table, the last stderr lines under a failed one. */
export function table(processes: ProcessInfo[]): string {
  if (processes.length === 0) return 'no supervised processes';
  const rows = [
    ['NAME', 'STATE', 'PID', 'RESTARTS', 'UPTIME', 'MEMORY'],
    ...processes.map((p) => [
      p.name,
      p.state,
      p.pid === null ? '-' : String(p.pid),
      String(p.restarts),
      duration(p.uptimeMs),
      bytes(p.rss),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines: string[] = [];
  rows.forEach((row, index) => {
    lines.push(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
    const info = index > 0 ? processes[index - 1] : undefined;
    if (info?.state === 'failed' && info.lastError?.length)
      lines.push(...info.lastError.map((line) => `    | ${line}`));
    if (info?.bridge) lines.push(`    | ${bridgeLine(info.bridge)}`);
  });
  return lines.join('\n');
}

/** One line of a northbound bridge's status under its process. */
function bridgeLine(b: NonNullable<ProcessInfo['bridge']>): string {
  const link = b.connected ? `connected to ${b.broker}` : `not connected${b.broker ? ` (last ${b.broker})` : ''}`;
  const error = b.lastError ? `; last error ${b.lastError.code}: ${b.lastError.message}` : '';
  const buffered = `buffered ${b.buffered.count} (${bytes(b.buffered.bytes)})`;
  return `${link}; ${buffered}; published ${b.published} (${b.publishedPerSec}/s); dropped ${b.dropped}; refused ${b.refused}${error}`;
}
