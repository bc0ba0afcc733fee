// The floor of the frame codec benchmark: a decoder written by hand for one frame shape only
// (02 address command length payload CRC-16/Modbus over address..payload 03), with a 256-entry
// CRC table and no configuration, as fast as a plain loop gets. Not used by the driver: it shows
// what the general layout decoder costs over code specialised for the shape.

const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  TABLE[n] = c;
}

function crc16modbus(buf, start, end) {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ buf[i]) & 0xff];
  return crc;
}

export class StxFloorDecoder {
  pending = Buffer.alloc(0);

  /** Frames completed by `chunk`: { address, command, payload }. */
  push(chunk) {
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out = [];
    let at = 0;
    while (at < buf.length) {
      if (buf[at] !== 0x02) {
        at++;
        continue;
      }
      if (buf.length - at < 4) break;
      const len = buf[at + 3];
      const total = 4 + len + 3;
      if (buf.length - at < total) break;
      const crcAt = at + 4 + len;
      const ok =
        buf[at + total - 1] === 0x03 && crc16modbus(buf, at + 1, crcAt) === (buf[crcAt] | (buf[crcAt + 1] << 8));
      if (ok) {
        out.push({ address: buf[at + 1], command: buf[at + 2], payload: buf.subarray(at + 4, crcAt) });
        at += total;
      } else at++;
    }
    this.pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
    return out;
  }
}
