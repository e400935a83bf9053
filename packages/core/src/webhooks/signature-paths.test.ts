// The signature check's table loop (isDigestBase64) must give exactly the verdicts of the
// regular expression it replaced, and the one-entry fast path those of the general loop
// (alternating matches and mismatches: the fast path's reused buffer carries nothing over).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSignatureHeader, isDigestBase64 } from './signature.js';

const REFERENCE = /^[A-Za-z0-9+/]{43}=$/;
const digest = () => randomBytes(32).toString('base64');

/** Strings around the accepted form: every single-character change of a valid digest, and more. */
function candidates(): string[] {
  const out: string[] = ['', '=', 'A'.repeat(43), `${'A'.repeat(43)}==`, `${'A'.repeat(42)}==`];
  const valid = digest();
  out.push(valid, `${valid} `, ` ${valid}`, valid.slice(1), `${valid}A`, valid.replace(/=$/, 'A'));
  const odd = ['-', '_', '=', ' ', '.', '\u00e9', '\u0100', '\uFFFD', '\0', '\x7f', '\u{1F600}'];
  for (let i = 0; i < 44; i++) {
    for (const c of odd) out.push(valid.slice(0, i) + c + valid.slice(i + 1));
  }
  for (let n = 0; n < 200; n++) out.push(digest(), randomBytes(33).toString('base64').slice(0, 44));
  for (let n = 0; n < 200; n++) out.push(randomBytes(33).toString('latin1').slice(0, 44));
  return out;
}

describe('isDigestBase64 says what /^[A-Za-z0-9+/]{43}=$/ says', () => {
  it.each([0, 3])('on every candidate, from offset %i', (start) => {
    for (const text of candidates()) {
      const prefixed = 'v1,'.slice(0, start) + text;
      expect([text, isDigestBase64(prefixed, start)]).toEqual([text, REFERENCE.test(text)]);
    }
  });
});

describe('the one-entry fast path gives the general loop verdicts', () => {
  it('on every candidate entry, against its own digest and another', () => {
    const other = randomBytes(32);
    for (const text of candidates()) {
      const own = REFERENCE.test(text) ? Buffer.from(text, 'base64') : other;
      for (const expected of [own, other]) {
        const header = `v1,${text}`;
        // Two secrets take the general loop; the second can never match.
        const general = checkSignatureHeader(header, [expected, randomBytes(32)]);
        expect([header, checkSignatureHeader(header, [expected])]).toEqual([header, general]);
        // One digest given as itself (verify.ts, one secret): decoded into the reused buffer.
        expect([header, checkSignatureHeader(header, expected)]).toEqual([header, general]);
      }
    }
  });
});
