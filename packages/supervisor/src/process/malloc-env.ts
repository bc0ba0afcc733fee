/**
 * glibc malloc settings for the web server process. A login runs scrypt (16 MiB of work memory,
 * packages/web/src/password.ts) on a libuv pool thread; glibc then raises its mmap threshold to
 * 16 MiB and keeps the next ones in that thread's arena after they are freed, so four pool threads
 * kept 64 MiB resident for good (the web server "grew" from 71 to 136 MiB after a few logins, its
 * V8 heap flat: docs/memory.md). A fixed threshold keeps every allocation of 128 KiB or more an
 * mmap that free() gives back to the system. Read by glibc at process start, hence the environment.
 */
export const WEB_SERVER_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * The same for drivers: a driver reads its bundle's V8 code cache (350-800 KB, scripts/build/
 * driver-bin-loader.cjs) in one piece; freeing that buffer would raise glibc's thresholds and keep
 * the compiler's freed memory in the malloc heap (2.5 MiB, docs/memory.md "The driver bin's loader").
 */
export const DRIVER_MALLOC_ENV: Readonly<Record<string, string>> = WEB_SERVER_MALLOC_ENV;
