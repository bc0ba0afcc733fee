/**
 * serialport's native binding with one fix: a read that returns 0 bytes (end of file) is a
 * hang-up. On Linux a pty whose other side closed (socat stopped: "unplugged") may read 0 bytes
 * instead of failing with EIO; @serialport/bindings-cpp 13 (unix-read.js) then retries the read at
 * once, forever: a busy loop that never reports the disconnect. Here the read fails with
 * `disconnect: true`, so the stream closes with a disconnect error like on EIO.
 * Other platforms' ports (no `fd`/`poller`) are left as they are.
 */
import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';

const readAsync = promisify(fsRead);

/** The parts of a unix port binding the fixed read uses (bindings-cpp's LinuxPortBinding/DarwinPortBinding). */
interface UnixPort {
  fd: number | null;
  poller?: { once(event: 'readable', callback: (error?: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>;
}

function canceled(message: string): Error {
  return Object.assign(new Error(message), { canceled: true });
}

function waitReadable(port: UnixPort): Promise<void> {
  return new Promise((resolve, reject) =>
    port.poller!.once('readable', (error) => (error ? reject(error) : resolve())),
  );
}

/** Replace `port.read` by a read that treats end of file as a disconnect. */
function fixRead(port: UnixPort): void {
  if (typeof port.fd !== 'number' || !port.poller) return;
  port.read = async (buffer, offset, length) => {
    for (;;) {
      const fd = port.fd;
      if (fd === null) throw canceled('Port is not open');
      try {
        const { bytesRead } = await readAsync(fd, buffer, offset, length, null);
        if (bytesRead === 0)
          throw Object.assign(new Error('end of file: the other side hung up'), { disconnect: true });
        return { bytesRead, buffer };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
        if (port.fd === null) throw canceled('Port is not open');
        await waitReadable(port);
      }
    }
  };
}

type Binding = typeof SerialPort.binding;

/** serialport's detected binding whose opened ports get the fixed read. */
export const hangupAwareBinding: Binding = {
  ...SerialPort.binding,
  list: () => SerialPort.binding.list(),
  async open(options: Parameters<Binding['open']>[0]) {
    const port = await SerialPort.binding.open(options as never);
    fixRead(port as unknown as UnixPort);
    return port;
  },
} as Binding;
