/** What `listen` returns for every transport: a listening server that accepts links. */
/** A listening server (any transport). */
export interface Listener {
  /** Printable address (`unix:/run/x.sock`, `tcp://127.0.0.1:40312`). */
  readonly address: string;
  /** The bound TCP/TLS/WebSocket port (useful with port 0), or undefined for UNIX sockets. */
  readonly port: number | undefined;
  /** Stop accepting, close every link it accepted, remove a UNIX socket file. */
  close(): Promise<void>;
}
