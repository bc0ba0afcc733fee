/**
 * An I-Am as raw BVLC/NPDU/APDU bytes (BACnet clause 16.10.3): what the simulated device's
 * `announce()` writes on its transport, to one address or as a broadcast.
 */
import bacnet from '../lib.js';

/** An I-Am frame (BVLC + NPDU + APDU, clause 16.10) with our max APDU and segmentation. */
export function iAmFrame(instance: number, maxApdu: number, segmentation: number, vendorId: number): Buffer {
  const unsigned = (value: number): number[] => (value < 256 ? [0x21, value] : [0x22, value >> 8, value & 0xff]);
  const id = ((bacnet.ObjectType.DEVICE << 22) | instance) >>> 0;
  const apdu = [
    0x10,
    0x00,
    0xc4,
    (id >>> 24) & 0xff,
    (id >>> 16) & 0xff,
    (id >>> 8) & 0xff,
    id & 0xff,
    ...unsigned(maxApdu),
    0x91,
    segmentation,
    ...unsigned(vendorId),
  ];
  const length = 4 + 2 + apdu.length;
  return Buffer.from([0x81, 0x0a, length >> 8, length & 0xff, 0x01, 0x00, ...apdu]);
}
