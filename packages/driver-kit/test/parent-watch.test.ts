import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { watchParent, type WatchedProcess } from '../src/parent-watch.js';

function fakeProcess(withIpc: boolean): WatchedProcess & EventEmitter {
  return Object.assign(new EventEmitter(), {
    stdin: new PassThrough(),
    ...(withIpc ? { send: () => true, connected: true } : {}),
  });
}

describe('watchParent', () => {
  it('uses the IPC channel when there is one', () => {
    const proc = fakeProcess(true);
    const reasons: string[] = [];
    const watch = watchParent(
      (reason) => reasons.push(reason),
      proc,
      () => true,
    );
    expect(watch.kind).toBe('ipc');
    proc.emit('disconnect');
    proc.emit('disconnect');
    expect(reasons).toEqual(['the IPC channel to the parent closed']);
  });

  it('notices a channel that closed before the watch started', async () => {
    const proc = Object.assign(fakeProcess(true), { connected: false });
    const gone = new Promise<string>((resolve) => watchParent(resolve, proc, () => false));
    await expect(gone).resolves.toBe('the IPC channel to the parent closed');
  });

  it('watches the end of stdin when it is a pipe and there is no channel', async () => {
    const proc = fakeProcess(false);
    const gone = new Promise<string>((resolve) => expect(watchParent(resolve, proc, () => true).kind).toBe('stdin'));
    (proc.stdin as PassThrough).end();
    await expect(gone).resolves.toBe('stdin closed (the parent is gone)');
  });

  it('watches nothing for a terminal or /dev/null stdin', () => {
    const watch = watchParent(
      () => undefined,
      fakeProcess(false),
      () => false,
    );
    expect(watch.kind).toBe('none');
    watch.unwatch();
  });
});
