/**
 * The alarm store worker thread: owns `alarms.sqlite`, so a slow disk (an fsync of seconds) or a
 * query never stalls the hub's event loop. It answers the hub's messages (worker-protocol.ts) one
 * at a time; a database error is answered as `failed` (with whether the disk is the cause), never
 * thrown, so the worker and the hub keep running.
 */
import { parentPort } from 'node:worker_threads';
import { StoreUnavailable, unavailableReason } from '../../loggers/store/sample-db.js';
import { AlarmDatabase } from './alarm-db.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

let db: AlarmDatabase | undefined;

function handle(message: ToWorker): FromWorker {
  if (message.type === 'open') {
    db?.close();
    db = undefined;
    db = AlarmDatabase.open(message.dir, message.maxRecords);
    return {
      type: 'ok',
      n: message.n,
      file: db.file,
      states: db.states(),
      ...(db.movedAside ? { movedAside: db.movedAside } : {}),
    };
  }
  if (!db) return { type: 'failed', n: message.n, detail: 'the alarm history database is not open', unavailable: true };
  if (message.type === 'write') {
    db.write(message.items);
    return { type: 'ok', n: message.n };
  }
  return { type: 'ok', n: message.n, records: db.query(message.query) };
}

parentPort?.on('message', (message: ToWorker) => {
  let answer: FromWorker;
  try {
    answer = handle(message);
  } catch (error) {
    const unavailable = error instanceof StoreUnavailable || unavailableReason(error) !== undefined;
    const code = (error as { code?: unknown }).code;
    const detail =
      error instanceof StoreUnavailable
        ? error.message
        : `${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`;
    answer = { type: 'failed', n: message.n, detail, unavailable };
  }
  parentPort!.postMessage(answer);
});
