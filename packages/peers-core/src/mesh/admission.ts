/**
 * Admission of an incoming hello: `authenticate` must say yes, then the name must be free on the
 * whole mesh. Authentication comes first so that a refused client cannot learn which names exist
 * (it gets `PEERS_UNAUTHORIZED` whether or not the name is taken).
 */
import { Code, PeersError } from '../errors.js';
import type { Authenticate, Hello } from './handshake.js';

/** The refusal for `hello`, or undefined when it is admitted. `taken(name)` is asked at each check. */
export async function admitHello(
  hello: Hello,
  taken: (name: string) => boolean,
  authenticate: Authenticate | undefined,
): Promise<PeersError | undefined> {
  const nameTaken = (): PeersError =>
    new PeersError(Code.NAME_TAKEN, `name "${hello.name}" is already taken on the mesh`);
  if (!authenticate) return taken(hello.name) ? nameTaken() : undefined;
  let verdict: boolean | string;
  try {
    verdict = await authenticate(hello);
  } catch (error) {
    verdict = `authentication failed: ${(error as Error).message}`;
  }
  if (verdict === true) return taken(hello.name) ? nameTaken() : undefined;
  return new PeersError(Code.UNAUTHORIZED, typeof verdict === 'string' ? verdict : `"${hello.name}" is not authorized`);
}
