// The secret pre-check decides which texts secretlint never sees: its fast form must pass every text
// the regular expression it replaced passes (the run of 16 token characters is scanned by hand).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHoldSecret } from '../src/gather/redact.js';

/** The pre-check as one regular expression, as it was written before the hand scan. */
const REFERENCE =
  /[A-Za-z0-9+_=-]{16}|:\/\/|-----BEGIN|(?:pass|pwd|secret|token|key|auth|credential|sig)\w*["'`]?\s*(?:[:=,>]|\s-)|\bBasic\s|\s-[pu]|--user/i;

describe('mayHoldSecret equals its regular expression', () => {
  it('agrees on texts made of token characters, separators and look-alikes', () => {
    const unit = fc.constantFrom('a', 'Z', '9', '+', '_', '=', '-', ' ', '.', '\n', 'é', 'K', '\u212a', '/', ':', 'p', 'u', 'ſ');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 120 }), (text) => mayHoldSecret(text) === REFERENCE.test(text)),
      { numRuns: 20_000 },
    );
  });

  it('finds a run of 16 wherever it stands, and not a run of 15', () => {
    for (let at = 0; at < 40; at++) {
      for (const length of [15, 16, 17]) {
        const text = `${' '.repeat(at)}${'x'.repeat(length)} .`;
        expect(mayHoldSecret(text), `run of ${length} at ${at}`).toBe(length >= 16);
      }
    }
    expect(mayHoldSecret('a'.repeat(15) + 'é' + 'a'.repeat(15))).toBe(false);
    expect(mayHoldSecret('abcdefgh-ijklmno')).toBe(true);
  });
});
