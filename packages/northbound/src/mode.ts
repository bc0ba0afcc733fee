/** What every northbound mode (plain, Sparkplug B) offers to the process around it. */
import type { BridgeStatus } from './contract.js';
import type { SiteListener } from './mesh/site-link.js';

/** A mode's bridge: told of the site's values by the mesh link, publishing them to the broker. */
export interface ModeBridge extends SiteListener {
  /** Set once the mesh link listens to every published address (shown in the status). */
  listening: boolean;
  /** Connect to the broker (reconnecting by itself). */
  start(): void;
  status(): BridgeStatus;
  /** Say goodbye to the broker, close it and the buffer. */
  stop(): Promise<void>;
}

/** What a mode needs from the mesh: writes through `gateways.writeValue`. */
export interface SiteWriter {
  write(key: string, value: unknown): Promise<void>;
}
