/**
 * `@weble/driver-knx/testing`: Debian's knxd as the KNXnet/IP server of a test (tunnelling on a
 * free UDP port, or routing in its own network namespace) and knxtool as an independent bus
 * client and monitor. For this package's tests, the cross-package tests and the benchmark.
 */
export { Knxd, BusMonitor, freeUdpPort, parseMonitorLine, type MonitoredTelegram } from './knxd.js';
export { Netns } from './netns.js';
