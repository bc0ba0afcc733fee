/**
 * A network namespace joined to this one by a veth pair, so knxd can do KNXnet/IP routing
 * (multicast) with the driver: knxd drops routing frames whose source is one of its own
 * addresses, so on one host the two ends need different addresses. Needs root and `ip`
 * (iproute2); names carry the pid so parallel test runs do not meet. Removed by `close()`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
let counter = 0;

/** A namespace `name` with `innerAddress`, reached from here through `outerAddress`. */
export class Netns {
  private constructor(
    readonly name: string,
    private readonly outer: string,
    readonly outerAddress: string,
    readonly innerAddress: string,
  ) {}

  static async create(): Promise<Netns> {
    const id = `${process.pid % 100_000}${counter++}`;
    const subnet = `10.${200 + (process.pid % 50)}.${(process.pid >> 6) % 250}.`;
    const ns = new Netns(`wknx${id}`, `wkxo${id}`, `${subnet}1`, `${subnet}2`);
    const inner = `wkxi${id}`;
    const steps: string[][] = [
      ['netns', 'add', ns.name],
      ['link', 'add', ns.outer, 'type', 'veth', 'peer', 'name', inner],
      ['link', 'set', inner, 'netns', ns.name],
      ['addr', 'add', `${ns.outerAddress}/24`, 'dev', ns.outer],
      ['link', 'set', ns.outer, 'up'],
      ['-n', ns.name, 'addr', 'add', `${ns.innerAddress}/24`, 'dev', inner],
      ['-n', ns.name, 'link', 'set', inner, 'up'],
      ['-n', ns.name, 'link', 'set', 'lo', 'up'],
      // Multicast (224.0.23.12) leaves through the veth.
      ['-n', ns.name, 'route', 'add', 'default', 'dev', inner],
    ];
    try {
      for (const step of steps) await run('ip', step);
    } catch (error) {
      await ns.close();
      throw new Error(
        `cannot set up network namespace ${ns.name} (root and iproute2 needed): ${(error as Error).message}`,
      );
    }
    return ns;
  }

  /** `ip netns exec <name>` as a command prefix. */
  exec(command: string, ...args: string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.name, command, ...args]];
  }

  async close(): Promise<void> {
    await run('ip', ['link', 'del', this.outer]).catch(() => undefined);
    await run('ip', ['netns', 'del', this.name]).catch(() => undefined);
  }
}
