// Types of demo.mjs for the TypeScript tests that start the demo.
import type { ChildProcess } from 'node:child_process';

export interface DemoPorts {
  http: number;
  modbus: number;
  bacnet: number;
  /** UDP port of the simulated KNX installation (knxd). */
  knx: number;
}
export interface DemoChild extends ChildProcess {
  label: string;
  exited: Promise<unknown>;
}
export interface Demo {
  url: string;
  config: string;
  socket: string;
  /** Simulator processes by name (`modbus-sim`: stdin takes `get <unit> <table> <addr> <count>`). */
  sims: Record<string, DemoChild>;
  leftOut: string[];
  children: DemoChild[];
  stop(): Promise<void>;
  killAll(): void;
}
export interface DemoOptions {
  ports?: DemoPorts;
  runDir?: string;
  say?: (text: string) => void;
  onExit?: (label: string, how: unknown) => void;
  pipeSupervisor?: (child: DemoChild) => void;
  register?: (handle: { stop(): Promise<void>; killAll(): void }) => void;
  /** Replaces the simulator list (tests). */
  sims?: Simulator[];
}
/** A simulated device of the demo (see simulators.mjs). */
export interface Simulator {
  name: string;
  gateway: string;
  requires?: Array<{ what: string; check: string; install: string }>;
  [key: string]: unknown;
}
export const simulators: Simulator[];
export const ROOT: string;
export const DEMO_SITE: string;
export const DEMO_PORTS: DemoPorts;
export const DEMO_LOGIN: { username: string; password: string };
export function portFree(port: number, kind?: 'tcp' | 'udp'): Promise<boolean>;
export function freePort(kind?: 'tcp' | 'udp'): Promise<number>;
export function startDemo(options?: DemoOptions): Promise<Demo>;
