/**
 * Links joining a node, before they carry messages: the handshake on the dialing side (hello, then
 * the welcome's name must be new) and on the listening side (wait for hello, admit, reserve the name
 * until the link is up), and the links still handshaking (so that closing the node closes them too).
 * A link that passes is handed to the node (`join`); no message of an open link comes through here.
 */
import { admitHello } from './admission.js';
import { Code, PeersError } from '../errors.js';
import { HandshakeInbox, handshakeIn, handshakeOut, refuse, type Welcome } from './handshake.js';
import type { Link } from '../link/link.js';
import type { MeshOptions } from './mesh-options.js';
import { UPSTREAM, admittedLink, type Entitlement } from './trust.js';

/** What the joining links need of their node. */
export interface JoiningNode {
  readonly options: MeshOptions;
  closed(): boolean;
  /** Whether `name` is reachable now (a route to it exists). */
  reaches(name: string): boolean;
  /** The link joins the mesh under `name`; `early` are the frames that came right after its handshake. */
  join(link: Link, name: string, entitlement: Entitlement, early: Array<[Buffer, number, number]>): void;
  report(peer: string, error: Error): void;
}

export class LinkJoining {
  /** Links whose handshake is under way. */
  readonly handshaking = new Set<Link>();
  /** Names admitted on the listening side whose link is not up yet: taken for any other hello. */
  private readonly admitting = new Set<string>();

  constructor(private readonly node: JoiningNode) {}

  /** Dialing side of a new link: handshake, then join. Resolves with the welcome. */
  async outgoing(link: Link): Promise<Welcome> {
    const { name, meta, token, handshakeTimeoutMs } = this.node.options;
    this.handshaking.add(link);
    const inbox = new HandshakeInbox(link);
    try {
      const welcome = await handshakeOut(inbox, { name, meta, token }, handshakeTimeoutMs);
      if (this.node.closed()) throw new PeersError(Code.CLOSED, `peers "${name}" is closed`);
      if (welcome.name === name || this.node.reaches(welcome.name)) {
        const error = new PeersError(
          Code.NAME_TAKEN,
          `${link.remote} is "${welcome.name}", a name already reached through another link`,
        );
        refuse(link, error);
        throw error;
      }
      this.node.join(link, welcome.name, UPSTREAM, inbox.takeHeld());
      return welcome;
    } finally {
      this.handshaking.delete(link);
    }
  }

  /** Listening side of a new link: wait for hello, admit, join. Failures are reported, not thrown. */
  incoming(link: Link): void {
    if (this.node.closed()) {
      link.close();
      return;
    }
    const { name, meta, handshakeTimeoutMs, authenticate, mayAnnounce, maxRoutesPerLink } = this.node.options;
    const taken = (wanted: string): boolean =>
      wanted === name || this.node.reaches(wanted) || this.admitting.has(wanted);
    this.handshaking.add(link);
    let reserved: string | undefined;
    const inbox = new HandshakeInbox(link);
    handshakeIn(inbox, { name, meta }, handshakeTimeoutMs, async (hello) => {
      const refusal = await admitHello(hello, taken, authenticate);
      if (!refusal) {
        reserved = hello.name;
        this.admitting.add(hello.name);
      }
      return refusal;
    })
      .then((hello) => {
        if (reserved) this.admitting.delete(reserved);
        if (link.closed || this.node.closed()) return;
        this.node.join(link, hello.name, admittedLink(hello, mayAnnounce, maxRoutesPerLink), inbox.takeHeld());
      })
      .catch((error: Error) => {
        if (reserved) this.admitting.delete(reserved);
        this.node.report(link.remote, error);
      })
      .finally(() => this.handshaking.delete(link));
  }
}
