/** One request in flight, in order; answers, refusals, retries, timeouts, close. */
import { describe, expect, it } from 'vitest';
import { SerialCode, SerialError } from '../src/errors.js';
import { frameOf } from '../src/extract.js';
import { RequestQueue, type Request } from '../src/request-queue.js';

function setUp() {
  const sent: string[] = [];
  const timeouts: string[] = [];
  let answers = 0;
  const queue = new RequestQueue({
    send: async (bytes) => void sent.push(bytes.toString()),
    onTimeout: (error) => timeouts.push(error.message),
    onAnswer: () => void answers++,
  });
  const answer = (text: string): boolean => queue.offer(frameOf(Buffer.from(text), 'utf8'));
  return { queue, sent, timeouts, answer, answers: () => answers };
}

function request(text: string, reply: RegExp, extra: Partial<Request<string>> = {}): Request<string> {
  return {
    bytes: Buffer.from(text),
    accept: (frame) => {
      const m = reply.exec(frame.text);
      if (!m) return undefined;
      return m[1] === 'ERR' ? { fail: new Error('refused') } : { done: m[1]! };
    },
    timeoutMs: 1_000,
    retries: 0,
    label: JSON.stringify(text),
    ...extra,
  };
}

const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
};

describe('RequestQueue', () => {
  it('sends one request at a time, in call order; other frames are left to the caller', async () => {
    const { queue, sent, answer, answers } = setUp();
    const a = queue.request(request('A?', /^A=(\w+)$/));
    const b = queue.request(request('B?', /^B=(\w+)$/));
    await until(() => sent.length === 1);
    expect(sent).toEqual(['A?']);
    expect(answer('B=early')).toBe(false); // not the answer of the request in flight
    expect(answer('A=1')).toBe(true);
    expect(await a).toBe('1');
    await until(() => sent.length === 2);
    expect(answer('B=2')).toBe(true);
    expect(await b).toBe('2');
    expect(answers()).toBe(2);
    expect(queue.size).toBe(0);
  });

  it('a refusal rejects the request; the next one goes on', async () => {
    const { queue, sent, answer } = setUp();
    const a = queue.request(request('A?', /^A=(\w+)$/));
    const b = queue.request(request('B?', /^B=(\w+)$/));
    await until(() => sent.length === 1);
    answer('A=ERR');
    await expect(a).rejects.toThrow('refused');
    await until(() => sent.length === 2);
    answer('B=ok');
    expect(await b).toBe('ok');
  });

  it('retries after a timeout, then fails with SERIAL_TIMEOUT and reports it', async () => {
    const { queue, sent, timeouts } = setUp();
    const a = queue.request(request('A?', /^A=(\w+)$/, { timeoutMs: 10, retries: 2 }));
    await expect(a).rejects.toMatchObject({
      code: SerialCode.TIMEOUT,
      message: 'no answer to "A?" within 10 ms (3 attempts)',
    });
    expect(sent).toEqual(['A?', 'A?', 'A?']);
    expect(timeouts).toHaveLength(1);
  });

  it('a late answer to a retried request is still its answer', async () => {
    const { queue, sent, answer } = setUp();
    const a = queue.request(request('A?', /^A=(\w+)$/, { timeoutMs: 10, retries: 1 }));
    await until(() => sent.length === 2);
    answer('A=late');
    expect(await a).toBe('late');
  });

  it('a request without accept is done once written', async () => {
    const { queue, sent } = setUp();
    await queue.request({ bytes: Buffer.from('GO'), timeoutMs: 10, retries: 0, label: 'GO' });
    expect(sent).toEqual(['GO']);
  });

  it('close fails the request in flight, the queued ones and later ones: every call settles', async () => {
    const { queue, sent } = setUp();
    const a = queue.request(request('A?', /^A=(\w+)$/));
    const b = queue.request(request('B?', /^B=(\w+)$/));
    await until(() => sent.length === 1);
    queue.close(new Error('port closed'));
    await expect(a).rejects.toThrow('port closed');
    await expect(b).rejects.toThrow('port closed');
    await expect(queue.request(request('C?', /^C$/))).rejects.toThrow('port closed');
    expect(sent).toEqual(['A?']);
  });

  it('a failed write rejects the request', async () => {
    const queue = new RequestQueue({ send: async () => Promise.reject(new Error('EIO')) });
    await expect(queue.request(request('A?', /^A$/))).rejects.toThrow('EIO');
  });
});

describe('RequestQueue and corrupted answers', () => {
  const corrupt = (): SerialError =>
    new SerialError(SerialCode.BAD_CHECKSUM, 'crc16-modbus checksum 0000 does not match 4b37');

  it('a corrupted answer sends the request again at once, within its budget; a good answer after it is taken', async () => {
    const { queue, sent, answer } = setUp();
    const a = queue.request(request('A?', /^A=(\w+)$/, { timeoutMs: 60_000, retries: 1 }));
    await until(() => sent.length === 1);
    await until(() => queue.waiting);
    queue.corrupted(corrupt());
    await until(() => sent.length === 2); // not after the 60 s timeout: at once
    answer('A=ok');
    expect(await a).toBe('ok');
  });

  it("when every attempt gets a corrupted answer, the request fails with the fault's code, not a timeout", async () => {
    const { queue, sent, timeouts } = setUp();
    const a = queue.request(request('A?', /^A=(\w+)$/, { timeoutMs: 60_000, retries: 2 }));
    for (let attempt = 1; attempt <= 3; attempt++) {
      await until(() => sent.length === attempt && queue.waiting);
      queue.corrupted(corrupt());
    }
    await expect(a).rejects.toMatchObject({
      code: SerialCode.BAD_CHECKSUM,
      message: '"A?": 3 attempts, the last answer corrupted: crc16-modbus checksum 0000 does not match 4b37',
    });
    expect(timeouts).toEqual([]); // the device answered: it is not reported as not answering
  });

  it('a timeout after corrupted answers says how many there were; a corrupted frame with no request waiting is ignored', async () => {
    const { queue, sent } = setUp();
    queue.corrupted(corrupt());
    const a = queue.request(request('A?', /^A=(\w+)$/, { timeoutMs: 30, retries: 1 }));
    await until(() => sent.length === 1 && queue.waiting);
    queue.corrupted(corrupt());
    await expect(a).rejects.toMatchObject({
      code: SerialCode.TIMEOUT,
      message: 'no answer to "A?" within 30 ms (2 attempts, 1 corrupted answer)',
    });
  });
});
