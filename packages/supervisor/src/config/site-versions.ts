/**
 * Versions of site.yaml kept beside it (`site.yaml.versions/<time>.yaml`, the newest 20), and the
 * atomic write every change goes through: the new text to a temporary file in the same directory,
 * fsync, rename over site.yaml, fsync of the directory. A crash at any moment leaves either the
 * old file or the new one, never a mix.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Versions kept per site.yaml. */
export const VERSIONS_KEPT = 20;

/** One kept version. */
export interface SiteVersion {
  /** `2026-12-05T15-07-00-123Z` (the file name without `.yaml`): what `diff` and `restore` take. */
  id: string;
  /** The file. */
  file: string;
  /** When it was replaced, ms. */
  savedAt: number;
  bytes: number;
}

/** The directory of the versions of `siteFile`. */
export function versionsDir(siteFile: string): string {
  return join(dirname(siteFile), `${basename(siteFile)}.versions`);
}

/** Write `text` to `file` atomically (temporary file, fsync, rename, fsync of the directory). */
export function writeAtomic(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', existsSync(file) ? statSync(file).mode & 0o777 : 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** Every kept version, newest first. */
export function listVersions(siteFile: string): SiteVersion[] {
  const dir = versionsDir(siteFile);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .reverse()
    .map((name) => {
      const file = join(dir, name);
      const id = name.slice(0, -'.yaml'.length);
      const iso = id.replace(/^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z(-\d+)?$/, '$1T$2:$3:$4.$5Z');
      return { id, file, savedAt: Date.parse(iso), bytes: statSync(file).size };
    });
}

/** Keep the current text of `siteFile` as a version (before it is replaced); drop the oldest beyond 20. */
export function saveVersion(siteFile: string, now = new Date()): SiteVersion | undefined {
  if (!existsSync(siteFile)) return undefined;
  const dir = versionsDir(siteFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let id = stamp;
  for (let n = 1; existsSync(join(dir, `${id}.yaml`)); n++) id = `${stamp}-${n}`;
  writeAtomic(join(dir, `${id}.yaml`), readFileSync(siteFile, 'utf8'));
  for (const old of listVersions(siteFile).slice(VERSIONS_KEPT)) rmSync(old.file, { force: true });
  return listVersions(siteFile).find((v) => v.id === id);
}

/** The text of a kept version (`id` as listed, or `1` for the newest, `2` for the one before...). */
export function readVersion(siteFile: string, id: string): { version: SiteVersion; text: string } {
  const versions = listVersions(siteFile);
  const version = /^\d{1,2}$/.test(id) ? versions[Number(id) - 1] : versions.find((v) => v.id === id);
  if (!version) {
    const known =
      versions
        .map((v) => v.id)
        .slice(0, 5)
        .join(', ') || 'none';
    throw new Error(`no version ${JSON.stringify(id)} of ${siteFile} (newest: ${known})`);
  }
  return { version, text: readFileSync(version.file, 'utf8') };
}

/** Put a kept version back as site.yaml (the current text is kept as a version first). */
export function restoreVersion(siteFile: string, id: string): SiteVersion {
  const { version, text } = readVersion(siteFile, id);
  saveVersion(siteFile);
  writeAtomic(siteFile, text);
  return version;
}

/** A unified-style line diff of two texts (`-` removed, `+` added, `  ` kept), for `config diff`. */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // Longest common subsequence table (site files are small: hundreds of lines).
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push(`+ ${b[j++]}`);
    else out.push(`- ${a[i++]}`);
  }
  return out;
}
