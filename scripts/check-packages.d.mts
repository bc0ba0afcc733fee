/** Types of check-packages.mjs (for the tests that import it). */
import type { PackedPackage } from './packed-packages.mjs';
export declare function checkTarballs(packed: PackedPackage[], options?: { concurrency?: number }): Promise<string[]>;
