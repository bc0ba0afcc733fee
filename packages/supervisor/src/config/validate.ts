/**
 * A site document -> a `SiteConfig`, or every problem at once: the shape (siteSchema), each
 * gateway's config and each address's point (the drivers' schemas), the cross checks, and the
 * hub socket path length. Relative paths are resolved against the site directory.
 */
import { isAbsolute, resolve } from 'node:path';
import { formatPath } from '@weble/driver-kit';
import type { DriverCatalog, DriverInfo } from './driver-catalog.js';
import { checkDrivers } from './driver-checks.js';
import { crossCheck } from './cross-checks.js';
import { formatProblem, issuesToProblems, type Problem } from './problems.js';
import { idKey, isRecord } from './raw.js';
import { resolveFederationPaths } from './federation.js';
import { siteSchema, type SiteDocument } from './schema.js';
import { defaultHubSocket } from '../service/service-dirs.js';
import type { Position } from './yaml-source.js';

/**
 * A validated site: site.yaml with defaults filled in (also inside gateway configs and points, by
 * the drivers' schemas), every path absolute, each `address.gateway` equal to its gateway's `id`,
 * and the driver of each gateway type used.
 */
export type SiteConfig = SiteDocument & {
  /** The driver of each gateway `type` in the site (schemas and the absolute path of its bin). */
  readonly drivers: Readonly<Record<string, DriverInfo>>;
};

/** One problem with where it is in site.yaml when known. */
export interface SiteProblem extends Partial<Position> {
  /** `gateways[2].config.port` (or `(root)`). */
  readonly path: string;
  /** `expected number, received string`. */
  readonly message: string;
  /** `path: message`. */
  readonly text: string;
}

/** Result of {@link validateSite} and `loadSiteConfig`. */
export type SiteResult =
  | { ok: true; config: SiteConfig }
  | {
      ok: false;
      /** Every problem as `path: what was expected`, in the order of the file. */
      problems: string[];
      /** The same problems with their line and column in site.yaml when known. */
      details: SiteProblem[];
    };

/** Options of {@link validateSite}. */
export interface ValidateOptions {
  /** Directory relative paths are resolved against (the directory of site.yaml). */
  baseDir: string;
  catalog: DriverCatalog;
  /** Where a path was written in the source, for {@link SiteProblem} lines. */
  locate?: (path: Problem['path']) => Position | undefined;
}

/** A UNIX socket path must fit `sockaddr_un.sun_path` (108 bytes on Linux, with the final NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

function socketProblem(document: unknown, baseDir: string): Problem[] {
  const hub = isRecord(document) ? (document.hub ?? {}) : undefined;
  const socket = isRecord(hub) ? (hub.socket ?? defaultHubSocket()) : undefined;
  if (typeof socket !== 'string' || socket === '') return []; // the schema reports it
  const path = resolve(baseDir, socket);
  const bytes = Buffer.byteLength(path);
  if (bytes <= MAX_SOCKET_PATH_BYTES) return [];
  return [
    {
      path: ['hub', 'socket'],
      message: `${path} is too long for a UNIX socket (${bytes} bytes, at most ${MAX_SOCKET_PATH_BYTES}): use a shorter path`,
    },
  ];
}

function toDetails(problems: Problem[], locate: ValidateOptions['locate']): SiteProblem[] {
  const details = problems.map((problem, order) => {
    const position = locate?.(problem.path);
    const detail: SiteProblem = {
      path: formatPath(problem.path),
      message: problem.message,
      text: formatProblem(problem),
      ...position,
    };
    return { detail, order };
  });
  details.sort((a, b) => (a.detail.line ?? 0) - (b.detail.line ?? 0) || a.order - b.order);
  return details.map(({ detail }) => detail);
}

/** Validate a site document (the data of site.yaml); see the module comment. */
export function validateSite(document: unknown, options: ValidateOptions): SiteResult {
  const parsed = siteSchema.safeParse(document);
  const problems = parsed.success
    ? []
    : issuesToProblems(parsed.error.issues, { schema: siteSchema, data: document, prefix: [] });
  const drivers = checkDrivers(document, options.catalog);
  problems.push(...drivers.problems, ...crossCheck(document), ...socketProblem(document, options.baseDir));
  if (!parsed.success || problems.length > 0) {
    const details = toDetails(problems, options.locate);
    return { ok: false, problems: details.map((detail) => detail.text), details };
  }

  const site = parsed.data;
  const path = (file: string): string => (isAbsolute(file) ? file : resolve(options.baseDir, file));
  const gatewayIds = new Map(site.gateways.map((gateway) => [String(gateway.id), gateway.id]));
  const config: SiteConfig = {
    ...site,
    hub: { socket: path(site.hub.socket) },
    ...(site.http
      ? {
          http: {
            ...site.http,
            ...(site.http.tls && site.http.tls !== 'auto'
              ? { tls: { cert: path(site.http.tls.cert), key: path(site.http.tls.key) } }
              : {}),
          },
        }
      : {}),
    gateways: site.gateways.map((gateway, index) => ({
      ...gateway,
      config: drivers.configs.get(index) ?? gateway.config,
    })),
    addresses: site.addresses.map((address, index) => ({
      ...address,
      gateway: gatewayIds.get(idKey(address.gateway) ?? '') ?? address.gateway,
      point: drivers.points.get(index) ?? address.point,
    })),
    logics: site.logics.map((logic) => ({ ...logic, file: path(logic.file) })),
    history: { ...site.history, dir: path(site.history.dir) },
    supervision: { ...site.supervision, logs: { ...site.supervision.logs, dir: path(site.supervision.logs.dir) } },
    ...(site.federation ? { federation: resolveFederationPaths(site.federation, options.baseDir) } : {}),
    drivers: Object.fromEntries(drivers.drivers),
  };
  return { ok: true, config };
}
