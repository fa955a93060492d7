// deliver-by as users type it: a time of day in an IANA time zone (the next such moment after the
// submit, across DST changes) or a duration after submit; one line for anything else; the submit's
// warning against the batch's 24-hour worst case; and the `auto` rule a close deadline decides.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { UsageError } from '../src/errors.js';
import { autoByDeadline, deadlineAfter, deadlineWarning, parseDeliverBy } from '../src/engine/deliver-by.js';

const at = (iso: string): Date => new Date(iso);
const deadline = (text: string, from: string): string => deadlineAfter(parseDeliverBy(text)!, at(from)).toISOString();

describe('deliver-by', () => {
  it('a time of day means the next such moment in that zone after the submit', () => {
    // Berlin is UTC+1 in December: 08:00 there is 07:00Z; past it, the next day's.
    expect(deadline('08:00 Europe/Berlin', '2026-12-06T06:59:00Z')).toBe('2026-12-06T07:00:00.000Z');
    expect(deadline('08:00 Europe/Berlin', '2026-12-06T07:00:00Z')).toBe('2026-12-07T07:00:00.000Z');
    // A submit at 22:00 Berlin time for 08:00: the next morning, ten hours on.
    expect(deadline('8:00 Europe/Berlin', '2026-12-06T21:00:00Z')).toBe('2026-12-07T07:00:00.000Z');
    // Summer time (UTC+2), and a zone west of UTC whose date is still the day before.
    expect(deadline('08:00 Europe/Berlin', '2026-07-01T12:00:00Z')).toBe('2026-07-02T06:00:00.000Z');
    expect(deadline('08:00 America/New_York', '2026-07-02T02:00:00Z')).toBe('2026-07-02T12:00:00.000Z');
    expect(deadline('23:30 UTC', '2026-07-02T02:00:00Z')).toBe('2026-07-02T23:30:00.000Z');
  });

  it('across a DST change: the wall clock of that night, and a skipped time an hour later', () => {
    // Berlin moves from UTC+1 to UTC+2 at 02:00 on 2026-03-29.
    expect(deadline('08:00 Europe/Berlin', '2026-03-28T20:00:00Z')).toBe('2026-03-29T06:00:00.000Z');
    expect(deadline('02:30 Europe/Berlin', '2026-03-28T20:00:00Z')).toBe('2026-03-29T01:30:00.000Z');
    // And back at 03:00 on 2026-10-25.
    expect(deadline('08:00 Europe/Berlin', '2026-10-24T20:00:00Z')).toBe('2026-10-25T07:00:00.000Z');
  });

  it('a duration counts from the submit', () => {
    expect(deadline('6h', '2026-12-06T01:00:00Z')).toBe('2026-12-06T07:00:00.000Z');
    expect(deadline('90m', '2026-12-06T01:00:00Z')).toBe('2026-12-06T02:30:00.000Z');
    expect(parseDeliverBy('')).toBeNull();
  });

  it('refuses a time without a zone, an unknown zone, an impossible time and a zero duration, one line each', () => {
    for (const [text, why] of [
      ['08:00', /names no time zone/],
      ['08:00 Mars/Base', /unknown time zone 'Mars\/Base'/],
      ['25:00 UTC', /is not a time of day/],
      ['0h', /at least one minute/],
      ['tomorrow', /neither a time of day nor a duration/],
    ] as const) {
      expect(() => parseDeliverBy(text), text).toThrow(UsageError);
      expect(() => parseDeliverBy(text), text).toThrow(why);
    }
    // Through the inputs: one line naming the input and both accepted forms.
    let message = '';
    try {
      parseConfig({ 'deliver-by': '08:00' }, {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      "deliver-by: '08:00' names no time zone; give a time of day and an IANA time zone (08:00 Europe/Berlin), or a duration after submit (6h, 90m)",
    ]);
  });

  it("warns when the deadline comes before the batch's 24-hour worst case, not when after it", () => {
    const spec = parseDeliverBy('08:00 Europe/Berlin')!;
    const submitted = at('2026-12-06T21:00:00Z');
    const warning = deadlineWarning(spec, deadlineAfter(spec, submitted), submitted);
    expect(warning).toMatch(
      /^deliver-by 08:00 Europe\/Berlin \(2026-12-07T07:00:00.000Z, in 10h00m\) is before the batch's 24-hour worst case/,
    );
    expect(warning).not.toContain('\n');
    const far = parseDeliverBy('30h')!;
    expect(deadlineWarning(far, deadlineAfter(far, submitted), submitted)).toBeNull();
  });

  it('auto: a deadline under 2h sends small work interactively, large work still as a batch; a far one leaves it to sync-threshold', () => {
    const now = at('2026-12-06T06:00:00Z');
    expect(autoByDeadline(at('2026-12-06T07:00:00Z'), now, 12)).toMatchObject({ interactive: true });
    expect(autoByDeadline(at('2026-12-06T07:00:00Z'), now, 500)).toMatchObject({ interactive: false });
    expect(autoByDeadline(at('2026-12-06T09:00:00Z'), now, 12)).toBeNull();
  });
});
