/**
 * A validation result as people and tools read it: every problem as `site.yaml:LINE: path: what
 * was expected` (YAML syntax errors as `site.yaml:LINE:COLUMN: ...`), a valid site as a summary
 * with its resolved paths, and as JSON without the drivers' schemas.
 */
import type { SiteConfig, SiteProblem } from './validate.js';

function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

/** The lines `weble-supervisor` prints for an invalid site read from `file` (as the user wrote it). */
export function problemsReport(file: string, details: readonly SiteProblem[]): string[] {
  const lines = [`${file} is invalid: ${plural(details.length, 'problem')}`];
  for (const detail of details) {
    if (detail.path === '(yaml)') lines.push(`  ${file}:${detail.line}:${detail.column}: ${detail.message}`);
    else lines.push(`  ${detail.line !== undefined ? `${file}:${detail.line}: ` : ''}${detail.text}`);
  }
  return lines;
}

/** The lines `weble-supervisor validate` prints for a valid site: counts and resolved paths. */
export function validReport(file: string, config: SiteConfig): string[] {
  const counts = [
    plural(config.gateways.length, 'gateway'),
    plural(config.addresses.length, 'address', 'addresses'),
    plural(config.routes.length, 'route'),
    plural(config.logics.length, 'logic'),
    plural(config.users.length, 'user'),
  ];
  const lines = [
    `${file} is valid: ${counts.join(', ')}`,
    `  hub socket: ${config.hub.socket}`,
    `  logs: ${config.supervision.logs.dir}`,
  ];
  const { http } = config;
  if (http) {
    const tls =
      http.tls === undefined
        ? 'http'
        : http.tls === 'auto'
          ? 'https, self-signed'
          : `https, cert ${http.tls.cert}, key ${http.tls.key}`;
    lines.push(`  http: ${http.host}:${http.port} (${tls})`);
  }
  const { federation } = config;
  if (federation) {
    const at = federation.listen;
    const security = at?.plaintext
      ? 'plain TCP'
      : at?.tls === undefined || at.tls === 'auto'
        ? 'TLS, self-signed'
        : 'TLS';
    const listen = at ? `${at.host}:${at.port} (${security})` : 'not listening';
    const peers = federation.wellKnownPeers.map((p) => `${p.host}:${p.port}`).join(', ') || 'none';
    lines.push(`  federation: site ${federation.site}, ${listen}, well-known peers ${peers}`);
  }
  for (const [type, info] of Object.entries(config.drivers)) lines.push(`  driver ${type}: ${info.bin}`);
  for (const logic of config.logics)
    lines.push(`  logic ${logic.name}: ${logic.file}${logic.enabled ? '' : ' (disabled)'}`);
  return lines;
}

/** The config as plain data for JSON: each driver as `{ bin }`, its schemas left out. */
export function printableConfig(config: SiteConfig): unknown {
  const drivers = Object.fromEntries(Object.entries(config.drivers).map(([type, info]) => [type, { bin: info.bin }]));
  // The shared secret is never printed.
  const federation =
    config.federation?.secret !== undefined ? { ...config.federation, secret: '(hidden)' } : config.federation;
  return { ...config, drivers, ...(federation ? { federation } : {}) };
}
