/**
 * @weble/driver-kit/testing: the harness for driver tests with real processes. The test plays the
 * hub; the driver runs as a child exactly as the supervisor starts it.
 */
export { startTestHub, type TestHub } from './hub.js';
export { spawnDriver, type SpawnDriverOptions, type DriverChild } from './child.js';
export { waitForEvent, waitUntil, isProcessAlive, waitForProcessGone, type Listenable } from './wait.js';
