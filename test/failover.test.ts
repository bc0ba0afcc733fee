/**
 * connect([dead, live]): the connector tries the endpoints in turn and ends up on the live one,
 * whatever the transports.
 */
import net from 'node:net';
import { afterAll, afterEach, expect, it } from 'vitest';
import { Children } from './support/children.js';
import { connected, startAgent, tempDir } from './support/mesh.js';

const children = new Children();
const dir = tempDir();

afterEach(() => children.finish());
afterAll(() => dir.remove());

/** A TCP port nobody listens on any more (bound on port 0, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it('connect([dead UNIX socket, live TCP]) ends up connected to the live one', async () => {
  const dead = dir.socket('nobody-here');
  const { ready } = await startAgent(children, { name: 'supervision', listen: { port: 0, host: '127.0.0.1' } });
  const live = `tcp://127.0.0.1:${ready.port}`;

  const { child: client } = await startAgent(children, {
    name: 'myClientName',
    connect: [dead, live],
    options: { backoff: { initialMs: 20, maxMs: 200 } },
  });

  await connected(client, ['supervision']);
  const failures = client.reportsOf('peer-error');
  expect(failures[0]).toMatchObject({ where: `unix:${dead}`, error: { code: 'ENOENT' } }); // it tried the dead one first
  expect(failures.every((f) => f.where === `unix:${dead}`)).toBe(true);
  expect(await client.eval("return peers('supervision').call('lab', 'add', [1, 2])")).toEqual([3]);
});

it('connect([dead TCP, live UNIX socket]) ends up connected to the live one', async () => {
  const live = dir.socket('supervision');
  await startAgent(children, { name: 'supervision', listen: live });
  const dead = `tcp://127.0.0.1:${await closedPort()}`;

  const { child: client } = await startAgent(children, {
    name: 'myClientName',
    connect: [dead, live],
    options: { backoff: { initialMs: 20, maxMs: 200 } },
  });

  await connected(client, ['supervision']);
  expect(client.reportsOf('peer-error')[0]).toMatchObject({ where: dead, error: { code: 'ECONNREFUSED' } });
  expect(await client.eval("return peers('supervision').call('lab', 'add', [2, 2])")).toEqual([4]);
});
