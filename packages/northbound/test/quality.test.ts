/** The quality published with a value: the gateway's, from the argument after the seed's four. */
import { describe, expect, it } from 'vitest';
import { qualityOf } from '../src/quality.js';

describe('qualityOf', () => {
  it("takes the gateway's quality from newValue's fifth argument, good when there is none", () => {
    expect(qualityOf(['stale'])).toBe('stale');
    expect(qualityOf(['bad', 'extra'])).toBe('bad');
    expect(qualityOf(['uncertain'])).toBe('uncertain');
    expect(qualityOf([])).toBe('good');
    expect(qualityOf([undefined])).toBe('good');
    expect(qualityOf(['forged-quality'])).toBe('good');
  });
});
