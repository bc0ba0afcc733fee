/**
 * Names are unique on the mesh: a second process connecting with a taken name is refused with
 * PEERS_NAME_TAKEN, and the peer that had the name keeps working.
 */
import { afterAll, afterEach, expect, it } from 'vitest';
import { Children } from './support/children.js';
import { connected, startAgent, tempDir } from './support/mesh.js';

const children = new Children();
const dir = tempDir();

afterEach(() => children.finish());
afterAll(() => dir.remove());

it('a second driver_x gets an error event PEERS_NAME_TAKEN; the first keeps working', async () => {
  const socket = dir.socket('supervision');
  const { child: hub } = await startAgent(children, { name: 'supervision', hub: true, listen: socket });
  const { child: first } = await startAgent(children, { name: 'driver_x', connect: socket });
  await connected(first, ['supervision']);

  const { child: second } = await startAgent(children, { name: 'driver_x', connect: socket });

  const refused = await second.waitForReport('peer-error');
  expect(refused.error).toMatchObject({ isError: true, code: 'PEERS_NAME_TAKEN' });
  expect(await second.eval('return peers.connectedPeers()')).toEqual([]);
  expect(await hub.eval('return peers.connectedPeers()')).toEqual(['driver_x']);
  expect(hub.reportsOf('connect', { peer: 'driver_x' })).toHaveLength(1);
  expect(first.reportsOf('disconnect')).toEqual([]);
  // both directions still work for the first one
  expect(await first.eval("return peers('supervision').call('lab', 'add', [40, 2])")).toEqual([42]);
  expect(await hub.eval("return peers('driver_x').call('lab', 'whoami')")).toEqual([
    { name: 'driver_x', pid: first.process.pid },
  ]);
});

it('the name is unique on the whole mesh, not only per hub', async () => {
  const supervision = dir.socket('supervision-2');
  const webserver = dir.socket('webserver');
  await startAgent(children, { name: 'supervision', hub: true, listen: supervision });
  const { child: web } = await startAgent(children, { name: 'webserver', listen: webserver, connect: supervision });
  const { child: first } = await startAgent(children, { name: 'driver_x', connect: supervision });
  await connected(web, ['supervision', 'driver_x']);

  // the second one asks another hub, which knows the name through the first hub
  const { child: second } = await startAgent(children, { name: 'driver_x', connect: webserver });

  const refused = await second.waitForReport('peer-error');
  expect(refused.error).toMatchObject({ code: 'PEERS_NAME_TAKEN' });
  expect(await web.eval("return peers('driver_x').call('lab', 'whoami')")).toEqual([
    { name: 'driver_x', pid: first.process.pid },
  ]);
});
