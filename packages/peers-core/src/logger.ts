/** The structured logger every part of peers takes (pino-compatible); `createPeers` makes a pino one. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
