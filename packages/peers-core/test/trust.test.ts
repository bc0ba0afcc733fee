/**
 * Trust on the mesh (docs/protocol.md, "Trust"), tried as an attacker would with raw protocol
 * clients on a real hub socket: a link speaks only for the names it is entitled to, at every hop;
 * an owner decides what another peer's emit on its emitter does; a refused hello does not tell
 * whether a name exists; the unfinished frames of all links share one memory budget.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Code, type PeersError } from '../src/errors.js';
import { createPeers, type Peers, type PeersOptions } from '../src/create-peers.js';
import { RawClient, MessageType, tempDir, until, waitFor } from './helpers.js';

const silent = { debug() {}, warn() {}, error() {} };
const fast = { logger: silent, backoff: { initialMs: 20, maxMs: 200 } };

let tmp: ReturnType<typeof tempDir>;
const open: Peers[] = [];
const raws: RawClient[] = [];

beforeEach(() => {
  tmp = tempDir();
});

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy();
  for (const p of open.splice(0).reverse()) await p.close();
  tmp.remove();
});

function peer(name: string, options: PeersOptions = {}): Peers {
  const p = createPeers(name, { ...fast, ...options });
  open.push(p);
  return p;
}

/** A hub on a socket, collecting the errors it reports. */
async function hub(
  options: PeersOptions = {},
  name = 'supervision',
): Promise<{ hub: Peers; errors: PeersError[]; path: string }> {
  const h = peer(name, options);
  const errors: PeersError[] = [];
  h.on('error', (_peer: unknown, error: unknown) => errors.push(error as PeersError));
  const path = tmp.sock(name);
  await h.listen(path);
  return { hub: h, errors, path };
}

/** A raw client past its handshake as `name`. */
async function raw(path: string, name: string): Promise<RawClient> {
  const client = await RawClient.connect(path);
  raws.push(client);
  client.hello(name);
  const welcome = await client.next((m) => m.type === MessageType.WELCOME || m.type === MessageType.REJECT);
  if (welcome?.type !== MessageType.WELCOME) throw new Error(`not admitted: ${JSON.stringify(welcome?.decoded)}`);
  return client;
}

/** A well-behaved peer linked to the hub, waiting until it knows `names`. */
async function observer(path: string, name = 'observer', ...names: string[]): Promise<Peers> {
  const p = peer(name);
  p.connect(path);
  await waitFor(p, 'connect supervision');
  await until(() => names.every((n) => p.connectedPeers().includes(n)), 5000, `${name} to know ${names.join(', ')}`);
  return p;
}

const notice =
  (code: string) =>
  (m: { type: number; decoded: unknown }): boolean =>
    m.type === MessageType.NOTICE && (m.decoded as { code?: string })?.code === code;

describe('announcements: a link speaks only for the names it is entitled to', () => {
  it('a leaf announcing foreign names is refused with a coded notice, and cannot speak as them', async () => {
    const { hub: h, errors, path } = await hub();
    let adminCalls = 0;
    h.share('adminTools', { ping: (cb: (e: null, v: string) => void) => cb(null, `pong ${++adminCalls}`) }, (caller) =>
      caller.startsWith('admin_'),
    );
    const watcher = await observer(path);
    const leaf = await raw(path, 'leaf_1');

    leaf.send(MessageType.ROUTES, '', '', '', [
      [
        ['admin_evil', 1],
        ['driver_virtual_9', 1],
      ],
      [],
    ]);
    const refusal = await leaf.next(notice(Code.NOT_ENTITLED));
    expect((refusal!.decoded as { message: string }).message).toMatch(
      /routes from "leaf_1" refused at "supervision": 2 name\(s\) it does not speak for \("admin_evil", "driver_virtual_9"\)/,
    );
    expect(errors.map((e) => e.code)).toContain(Code.NOT_ENTITLED);
    expect(h.connectedPeers()).not.toContain('admin_evil');
    expect(h.connectedPeers()).not.toContain('driver_virtual_9');
    // A call sent as `admin_evil` is a spoofed sender: it never reaches the filtered module.
    leaf.send(MessageType.CALL, 'supervision', 'admin_evil', '', [1, 'adminTools', 'ping', []]);
    await leaf.next(
      (m) => m.type === MessageType.NOTICE && (m.decoded as { code?: string })?.code === Code.SPOOFED_SENDER,
    );
    expect(adminCalls).toBe(0);
    // The link stays, and the rest of the mesh never heard of the names.
    expect(leaf.closed).toBe(false);
    expect(h.connectedPeers()).toContain('leaf_1');
    expect(watcher.connectedPeers()).not.toContain('admin_evil');
  });

  it('a hub link may announce the names its owner grants it, and nothing else, at every hop', async () => {
    const grant = (hello: { name: string }, name: string): boolean =>
      hello.name === 'webserver' && name.startsWith('web_');
    const { hub: h, path } = await hub({ mayAnnounce: grant });
    const web = peer('webserver');
    const webPath = tmp.sock('webserver');
    await web.listen(webPath);
    web.connect(path);
    await waitFor(h, 'connect webserver');
    const webErrors: PeersError[] = [];
    web.on('error', (_p: unknown, e: unknown) => webErrors.push(e as PeersError));

    // A real browser session behind the web server: admitted, and known on the hub.
    const session = peer('web_admin_1');
    session.connect(webPath);
    await until(() => h.connectedPeers().includes('web_admin_1'), 5000, 'the hub to know the session');

    // A raw session behind the web server announces another session and a driver: the web server
    // (which grants its links nothing) refuses both; the hub never hears of them.
    const browser = await raw(webPath, 'web_eve_2');
    browser.send(MessageType.ROUTES, '', '', '', [
      [
        ['web_admin_9', 1],
        ['driver_virtual_3', 1],
      ],
      [],
    ]);
    await browser.next(notice(Code.NOT_ENTITLED));
    expect(web.connectedPeers()).not.toContain('web_admin_9');
    expect(webErrors.map((e) => e.message).join('\n')).toMatch(/routes from "web_eve_2" refused at "webserver"/);

    // A compromised web server (raw) may announce web sessions, never a driver or an admin name.
    const rogue = await raw(path, 'webserver_2');
    const rogueHub = await hub({ mayAnnounce: grant }, 'hub2');
    const roguePath = rogueHub.path;
    const fake = await raw(roguePath, 'webserver');
    fake.send(MessageType.ROUTES, '', '', '', [
      [
        ['web_x_1', 1],
        ['driver_virtual_3', 1],
        ['admin_evil', 1],
      ],
      [],
    ]);
    const refusal = await fake.next(notice(Code.NOT_ENTITLED));
    expect((refusal!.decoded as { message: string }).message).toMatch(
      /2 name\(s\) it does not speak for \("driver_virtual_3", "admin_evil"\)/,
    );
    await until(() => rogueHub.hub.connectedPeers().includes('web_x_1'), 5000, 'the granted name');
    expect(rogueHub.hub.connectedPeers()).not.toContain('driver_virtual_3');
    // The same grant does not cover a link of another name.
    rogue.send(MessageType.ROUTES, '', '', '', [[['web_y_1', 1]], []]);
    await rogue.next(notice(Code.NOT_ENTITLED));
    expect(h.connectedPeers()).not.toContain('web_y_1');
  });

  it('50,000 invented names in one message: refused at once, the hub and its other peers unchanged', async () => {
    const { hub: h, path } = await hub({
      mayAnnounce: (hello, name) => hello.name === 'webserver' && name.startsWith('web_'),
      maxRoutesPerLink: 100,
    });
    h.share('lab', { add: (a: number, b: number, cb: (e: null, v: number) => void) => cb(null, a + b) });
    const watcher = await observer(path);
    const before = h.connectedPeers().length;
    const leaf = await raw(path, 'leaf_1');
    const names = Array.from({ length: 50_000 }, (_, i) => [`web_n${i}`, 1]);
    leaf.send(MessageType.ROUTES, '', '', '', [names, []]);
    const refusal = await leaf.next(notice(Code.NOT_ENTITLED));
    expect((refusal!.decoded as { message: string }).message).toMatch(
      /50000 name\(s\) it does not speak for \("web_n0", .* and 49995 more\)/,
    );
    expect(h.connectedPeers()).toHaveLength(before + 1); // the leaf itself
    expect(await watcher('supervision').call('lab', 'add', [2, 3])).toEqual([5]);

    // A granted hub link is held to maxRoutesPerLink (its own name counts).
    const web = await raw(path, 'webserver');
    web.send(MessageType.ROUTES, '', '', '', [names.slice(0, 150), []]);
    const capped = await web.next(notice(Code.NOT_ENTITLED));
    expect((capped!.decoded as { message: string }).message).toMatch(
      /51 name\(s\) over its limit of 100 \(maxRoutesPerLink\)/,
    );
    await until(() => watcher.connectedPeers().includes('web_n98'), 5000, 'the names within the limit');
    expect(h.connectedPeers()).not.toContain('web_n99');
    expect(watcher.connectedPeers()).not.toContain('web_n99');
  });
});

describe("events: only the owner decides what another peer's emit does", () => {
  async function forged(
    options: PeersOptions,
  ): Promise<{ h: Peers; errors: PeersError[]; watcherGot: unknown[][]; localGot: unknown[][]; leaf: RawClient }> {
    const { hub: h, errors, path } = await hub(options);
    const localGot: unknown[][] = [];
    h.peerEvents().on('newValue 3/0/1', (...args: unknown[]) => localGot.push(args));
    const watcher = await observer(path);
    const watcherGot: unknown[][] = [];
    watcher('supervision').on('newValue 3/0/1', (...args: unknown[]) => watcherGot.push(args));
    await until(() => h.peerEvents().listenerCount('newValue 3/0/1') === 2, 5000, 'the forwarder');
    const leaf = await raw(path, 'web_eve_1');
    leaf.send(MessageType.EMIT, 'supervision', '', 'newValue 3/0/1', ['3/0/1', 6666, '6666', new Date()]);
    return { h, errors, watcherGot, localGot, leaf };
  }

  it("by default a remote emit reaches the owner's own listeners only, never its subscribers", async () => {
    const { h, watcherGot, localGot } = await forged({});
    await until(() => localGot.length === 1, 5000, 'the local listener');
    expect(localGot[0]!.slice(0, 2)).toEqual(['3/0/1', 6666]);
    // The owner's own emit comes next on the same path: the subscriber sees it, and only it.
    h.peerEvents().emit('newValue 3/0/1', '3/0/1', 21.5, '21.5', new Date());
    await until(() => watcherGot.length > 0, 5000, 'the genuine event');
    expect(watcherGot.map((a) => a[1])).toEqual([21.5]);
  });

  it("'refuse' drops it with PEERS_EMIT_REFUSED naming the sender", async () => {
    const refused = await forged({
      remoteEmit: (_from, event) => (event.startsWith('newValue ') ? 'refuse' : 'local'),
    });
    await until(() => refused.errors.some((e) => e.code === Code.EMIT_REFUSED), 5000, 'the refusal');
    expect(refused.errors.find((e) => e.code === Code.EMIT_REFUSED)!.message).toBe(
      '"web_eve_1" may not emit "newValue 3/0/1" on "supervision": only "supervision" emits it',
    );
    expect(refused.localGot).toEqual([]);
    refused.h.peerEvents().emit('newValue 3/0/1', '3/0/1', 1, '1', new Date());
    await until(() => refused.watcherGot.length > 0, 5000, 'the genuine event');
    expect(refused.watcherGot.map((a) => a[1])).toEqual([1]);
  });

  it("'forward' lets it reach the owner's subscribers, as if the owner had emitted it", async () => {
    const forwarded = await forged({ remoteEmit: () => 'forward' });
    await until(() => forwarded.watcherGot.length === 1, 5000, 'the forwarded event');
    expect(forwarded.watcherGot[0]!.slice(0, 2)).toEqual(['3/0/1', 6666]);
  });
});

describe('admission and memory', () => {
  it('a refused hello does not tell whether the name exists', async () => {
    const { hub: h, path } = await hub({
      authenticate: (hello) => (hello.token === 'driver secret' ? true : 'not yours'),
    });
    const driver = peer('driver_virtual_3', { token: 'driver secret' });
    driver.connect(path);
    await until(() => h.connectedPeers().includes('driver_virtual_3'), 5000, 'the driver');
    const answers: string[] = [];
    for (const name of ['driver_virtual_3', 'driver_virtual_404']) {
      const client = await RawClient.connect(path);
      raws.push(client);
      client.hello(name);
      const reject = await client.next((m) => m.type === MessageType.REJECT);
      answers.push((reject!.decoded as { code: string }).code);
    }
    expect(answers).toEqual([Code.UNAUTHORIZED, Code.UNAUTHORIZED]);
  });

  it('links parked on unfinished frames share one budget: the link that goes over it is closed', async () => {
    const { hub: h, path } = await hub({ maxUnfinishedBytes: 1_000_000 });
    const declared = 700_000;
    /** Start a PING frame of `declared` body bytes and send `sent` of them. */
    const park = (client: RawClient, sent: number): void => {
      const header = Buffer.from([0, 0, 0, 0, MessageType.PING, 0, 0, 0, 0, 0]);
      header.writeUInt32BE(declared + 6, 0);
      client.socket.write(Buffer.concat([header, Buffer.alloc(sent)]));
    };
    const clients = [await raw(path, 'leaf_1'), await raw(path, 'leaf_2')];
    for (const client of clients) park(client, 600_000);
    // Whichever arrived second took the total over 1,000,000 bytes.
    const refused = await Promise.race(
      clients.map((c) => c.next(notice(Code.BUFFER_BUDGET)).then((m) => (m ? c : undefined))),
    );
    const survivor = clients.find((c) => c !== refused)!;
    expect(refused).toBeDefined();
    expect((refused!.received.find(notice(Code.BUFFER_BUDGET))!.decoded as { message: string }).message).toMatch(
      /holds \d+ bytes of an unfinished frame, taking all links over their budget of 1000000 bytes \(maxUnfinishedBytes\)/,
    );
    await refused!.whenClosed();
    // The survivor finishes its frame and lives on; the closed link gave its bytes back.
    survivor.socket.write(Buffer.alloc(declared - 600_000));
    const third = await raw(path, 'leaf_3');
    park(third, 600_000);
    survivor.send(MessageType.DESCRIBE, 'supervision', '', '', [1, 'nothing']);
    await survivor.next((m) => m.type === MessageType.RESULT);
    expect(survivor.closed).toBe(false);
    expect(third.closed).toBe(false);
    expect(h.connectedPeers()).toEqual(expect.arrayContaining(['leaf_3']));
  });
});
