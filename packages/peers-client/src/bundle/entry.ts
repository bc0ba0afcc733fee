/**
 * What the bundle evaluates to. `require` is the CommonJS `require` of the scope that evaluated
 * the bundle (a Node.js script evaluating `data.connect`), or absent (a browser page).
 */
import { makeConnect } from './connect.js';
import type { NodeRequire } from './node-websocket.js';

declare const require: NodeRequire | undefined;

export const connect = makeConnect(typeof require === 'function' ? require : undefined);
