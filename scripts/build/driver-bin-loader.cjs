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
 * - The bundle is read in 64 KiB pieces, not with one read of the whole file (what `require` does):
 *   one buffer of 1 MiB (the read doubles it up to the file's size) is a glibc mmap, and freeing
 *   it raises glibc's mmap threshold to 1 MiB and its trim threshold to 2 MiB for the rest of the
 *   process. The compiler's memory for the bundle then stayed in the malloc heap after it was
 *   freed: 2.5 MiB of every BACnet and serial driver.
 */
const { setFlagsFromString } = require('node:v8');

setFlagsFromString('--semi-space-growth-factor=1');

const { closeSync, openSync, readSync } = require('node:fs');
const { join } = require('node:path');
const { StringDecoder } = require('node:string_decoder');

const PIECE_BYTES = 64 * 1024; // under glibc's default mmap threshold (128 KiB)

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

const main = join(__dirname, 'bin-main.cjs');
module._compile(readInPieces(main), main);
