/**
 * Shared harness of the seed 000 tests. Seed 000 (the peers protocol page): every code sample, cut verbatim out of the page, runs in a
 * client process (fixtures/seed-harness.cjs) against a `supervision` hub process
 * (fixtures/agent.cjs with `hub: true`) over a UNIX socket, and each test asserts what the sample
 * is documented to do. The harness only supplies what a sample takes for granted: `peers` and
 * `peer`, `myObject`, `adminToolsObject`, `myHandler`, `onValue`, `cb`, and the connection.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { Children, START_MS, type Child, type Wire } from './children.js';
import { startAgent, tempDir } from './mesh.js';
import { extractSample, readPage, type SampleSpec } from './seed-samples.js';

const PAGE = fileURLToPath(new URL('../seeds/000-peers-protocol.txt', import.meta.url));

/** Register the hooks of a seed 000 test file and return its helpers. */
export function useSeedPage() {
  const children = new Children();
  let dir: ReturnType<typeof tempDir>;
  let page: string[];
  let pageText: string;
  let testNumber = 0;

  beforeAll(() => {
    dir = tempDir();
    page = readPage(PAGE);
    pageText = page.join('\n');
  });

  // A sample that throws later (in a callback or a listener) is reported by its process and fails the test.
  afterEach(() => children.finish());

  afterAll(() => dir?.remove());

  /** The exact text of a sample; fails the test when the page does not have it. */
  function sample(spec: SampleSpec): string {
    const { code } = extractSample(page, spec);
    expect(pageText.includes(code), 'the sample is on the page character for character').toBe(true);
    return code;
  }

  /** A hub on a fresh socket path of this test. */
  async function startHub(socket: string): Promise<Child> {
    const { child } = await startAgent(children, { name: 'supervision', hub: true, listen: socket });
    return child;
  }

  /** The client process the samples run in, pointed at `socket`. */
  async function startHarness(socket: string): Promise<Child> {
    const harness = children.spawn('myClientName', 'seed-harness.cjs', { socket });
    await harness.waitForReport('ready', {}, { timeoutMs: START_MS });
    return harness;
  }

  /** Hub and harness; the harness has created its peer and, unless `connect` is false, is connected. */
  async function setup(options: { connect?: boolean } = {}): Promise<{ socket: string; hub: Child; client: Child }> {
    const socket = dir.socket(`supervision-${++testNumber}`);
    const hub = await startHub(socket);
    const client = await startHarness(socket);
    await probe(client, 'harness.create()');
    if (options.connect !== false) await probe(client, 'await harness.connect()');
    return { socket, hub, client };
  }

  /** Run a page sample verbatim; resolves with its completion value. */
  function run(client: Child, code: string): Promise<Wire> {
    return client.request('sample', { code });
  }

  /** Run the test's own code (an async function body) in the sample scope. */
  function probe(client: Child, code: string): Promise<Wire> {
    return client.request('probe', { code });
  }

  const calledWith = (name: string) => (r: { type: string; name?: unknown }) => r.type === 'called' && r.name === name;

  return {
    children,
    sample,
    setup,
    run,
    probe,
    calledWith,
    startHub,
    startHarness,
    freshSocket: () => dir.socket(`supervision-${++testNumber}`),
  };
}
