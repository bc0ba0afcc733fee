/**
 * Admission of an incoming hello: the name must be free on the whole mesh (checked again after an
 * asynchronous `authenticate`, which may take a while), and `authenticate` must say yes.
 */
import { Code, PeersError } from './errors.js';
import type { Authenticate, Hello } from './handshake.js';

/** The refusal for `hello`, or undefined when it is admitted. `taken(name)` is asked at each check. */
export async function admitHello(hello: Hello, taken: (name: string) => boolean, authenticate: Authenticate | undefined): Promise<PeersError | undefined> {
  const nameTaken = (): PeersError => new PeersError(Code.NAME_TAKEN, `name "${hello.name}" is already taken on the mesh`);
  if (taken(hello.name)) return nameTaken();
  if (!authenticate) return undefined;
  let verdict: boolean | string;
  try {
    verdict = await authenticate(hello);
  } catch (error) {
    verdict = `authentication failed: ${(error as Error).message}`;
  }
  if (verdict === true) return taken(hello.name) ? nameTaken() : undefined;
  return new PeersError(Code.UNAUTHORIZED, typeof verdict === 'string' ? verdict : `"${hello.name}" is not authorized`);
}
