#!/usr/bin/env node
'use strict';
/**
 * A driver's bin (`dist/bin.cjs`, built from this file by driver-bin.tsup.mjs): what the supervisor
 * starts. It tunes the process for a small, long-lived driver, then runs the bundled driver
 * (`dist/bin-main.cjs`) in this same module, so `require.main === module` and `require` resolve as
 * if that file had been started. Measured in docs/memory.md ("The driver bin's loader"):
 *
 * - V8's young generation does not grow (`--semi-space-growth-factor=1`, set before the bundle is
 *   loaded, as the supervisor's cli.ts does). Loading the bundle grew it from 1 to 2 MiB of
 *   semi-space (4 MiB resident for both halves), kept for the life of the process although a
 *   driver polling its points has almost nothing young between two polls.
 * - Every full garbage collection also compacts (`--compact-on-every-full-gc`). A polling driver's
 *   live heap stays flat, but what it promotes and frees leaves its old generation's pages partly
 *   used, and V8 frees objects, not pages: the soak's Modbus driver (1,000 registers a second) went
 *   from 10.2 to 17.0 MiB of anonymous memory in 12 minutes with 7.4 MiB live; compacted, it stays
 *   at 10.7-12.3 MiB (docs/memory.md "Cached headers and compaction").
 * - The bundle is read in 64 KiB pieces, not with one read of the whole file (what `require` does):
 *   one buffer of 1 MiB (the read doubles it up to the file's size) is a glibc mmap, and freeing
 *   it raises glibc's mmap threshold to 1 MiB and its trim threshold to 2 MiB for the rest of the
 *   process. The compiler's memory for the bundle then stayed in the malloc heap after it was
 *   freed: 2.5 MiB of every BACnet and serial driver.
 * - With `WEBLE_CODE_CACHE_DIR` set (the supervisor sets it to a folder of the site's data), the
 *   bundle is compiled with V8's code cache of an earlier start (`vm.Script` `cachedData`), and a
 *   start that found none, or one V8 refused (another Node, other V8 flags), writes it a second
 *   after the bundle ran, when the functions of a start (config, joining the hub, first poll) are
 *   compiled. A restart after a crash then skips most of the compiling: crash-to-up, docs/memory.md.
 *   The cache file is named after the bundle's inode, size and mtime and the Node version and
 *   arch (V8 checks only the source's length), written to a temporary file and renamed. Any
 *   failure of the cache falls back to compiling the source. Without the variable the bundle is
 *   compiled by Node (`module._compile`), as before the cache: the `vm.Script` path wraps a second
 *   copy of the source (an idle BACnet driver 48.6 MiB that way, 48.0 MiB this way).
 */
const { setFlagsFromString } = require('node:v8');

setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--compact-on-every-full-gc');

const {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const { dirname, join } = require('node:path');
const { StringDecoder } = require('node:string_decoder');
const { Script } = require('node:vm');

const PIECE_BYTES = 64 * 1024; // under glibc's default mmap threshold (128 KiB)
/** How long after the bundle ran its code cache is written (when there was none), ms. */
const CACHE_AFTER_MS = 1_000;

/** The text of `file`, read in pieces of PIECE_BYTES. */
function readInPieces(file) {
  const fd = openSync(file, 'r');
  try {
    const piece = Buffer.allocUnsafe(PIECE_BYTES);
    const decoder = new StringDecoder('utf8');
    let text = '';
    for (let bytes; (bytes = readSync(fd, piece, 0, PIECE_BYTES, null)) > 0;)
      text += decoder.write(piece.subarray(0, bytes));
    return text + decoder.end();
  } finally {
    closeSync(fd);
  }
}

/** Where this start reads and writes the bundle's code cache, or undefined for no cache. */
function codeCacheFile(file, dir) {
  if (!dir) return undefined;
  try {
    const { ino, size, mtimeMs } = statSync(file);
    return join(dir, `bin-main-${ino}-${size}-${Math.round(mtimeMs)}-${process.version}-${process.arch}.v8cache`);
  } catch {
    return undefined;
  }
}

/** The cache's bytes, or undefined when there is none (or it cannot be read). */
function readCache(cacheFile) {
  try {
    return cacheFile ? readFileSync(cacheFile) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write `script`'s code cache to `cacheFile` (a temporary file renamed: readers see all or
 * nothing), unless another driver of the same bundle wrote it in the meantime (a site's drivers
 * start together) and V8 did not refuse the one this start read.
 */
function writeCache(script, cacheFile) {
  if (!script.cachedDataRejected && existsSync(cacheFile)) return;
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, cacheFile);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing to clean up, or a folder we cannot write to: the next start compiles again.
    }
  }
}

/**
 * Compile and run the bundle as the CommonJS module of this file (its `require`, `module`, so
 * `require.main === module`), with the code cache when there is one. The bundle has no `import()`
 * (the bin preset turns it into `require`), which a `vm.Script` could not run without a flag.
 */
function runBundle(file) {
  const cacheFile = codeCacheFile(file, process.env.WEBLE_CODE_CACHE_DIR);
  // No cache folder: Node's own compile, without the wrapped copy of the source (0.7 MiB less for BACnet).
  if (!cacheFile) return void module._compile(readInPieces(file), file);
  const cachedData = readCache(cacheFile);
  // The wrapper on a line of its own (lineOffset -1): stack traces keep the bundle's lines and columns.
  const source = `(function (exports, require, module, __filename, __dirname) {\n${readInPieces(file).replace(/^#!/, '//')}\n})`;
  const script = new Script(source, { filename: file, lineOffset: -1, ...(cachedData ? { cachedData } : {}) });
  if (cacheFile && (!cachedData || script.cachedDataRejected))
    setTimeout(() => writeCache(script, cacheFile), CACHE_AFTER_MS).unref();
  script.runInThisContext().call(module.exports, module.exports, require, module, file, dirname(file));
}

runBundle(join(__dirname, 'bin-main.cjs'));
