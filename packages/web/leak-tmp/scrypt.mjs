import { hashPassword, verifyPassword, md5Hex } from '../dist/index.js';
import { readFileSync } from 'node:fs';
const rss = () => (Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]) * 4096 / 2 ** 20).toFixed(1);
const h = await hashPassword(md5Hex('x'));
console.log('start', rss());
for (let round = 0; round < 5; round++) {
  await Promise.all(Array.from({ length: 8 }, () => verifyPassword(md5Hex('x'), h)));
  console.log('after round', round, rss());
}
