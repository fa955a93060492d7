// `deliver-by`: when the results of a night must be there. Given as a time of day in a time zone
// (`08:00 Europe/Berlin`, the next such moment after the submit) or as a duration after the submit
// (`6h`); resolved once, at submit, to an instant saved in the state. Submit warns when the batch's
// worst case (the API lets a batch run 24 hours) passes it; a collect at or after it answers what is
// still processing through the interactive API (engine/deadline.ts); `mode: auto` uses it to choose.
import { UsageError } from '../errors.js';
import { UNIT_MS } from '../gather/since.js';

export type DeliverBy =
  { kind: 'time'; hour: number; minute: number; zone: string; text: string } | { kind: 'duration'; ms: number; text: string };

/** How long the API may take over a batch before its unfinished requests expire (API-NOTES.md). */
export const BATCH_WORST_CASE_MS = 24 * 3_600_000;

function refused(text: string, why: string): UsageError {
  return new UsageError(
    `deliver-by: '${text}' ${why}; give a time of day and an IANA time zone (08:00 Europe/Berlin), or a duration after submit (6h, 90m)`,
  );
}

/** Whether Intl knows `zone` (IANA names such as Europe/Berlin, America/New_York, UTC). */
function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Reads a deliver-by value; null when empty (no deadline). */
export function parseDeliverBy(raw: string): DeliverBy | null {
  const text = raw.trim();
  if (text === '') return null;
  const duration = /^(\d+)\s*([mhd])$/i.exec(text);
  if (duration) {
    const amount = Number(duration[1]);
    if (!Number.isSafeInteger(amount) || amount === 0) throw refused(text, 'is not a duration of at least one minute');
    const unit = duration[2]!.toLowerCase();
    return { kind: 'duration', ms: amount * UNIT_MS[unit]!, text: `${amount}${unit}` };
  }
  const time = /^(\d{1,2}):(\d{2})(?:\s+(\S+))?$/.exec(text);
  if (!time) throw refused(text, 'is neither a time of day nor a duration');
  const hour = Number(time[1]);
  const minute = Number(time[2]);
  if (hour > 23 || minute > 59) throw refused(text, 'is not a time of day (00:00 to 23:59)');
  const zone = time[3];
  // A bare time would be read in whatever zone the runner has (UTC on GitHub): say which one instead.
  if (!zone) throw refused(text, 'names no time zone');
  if (!knownZone(zone)) throw refused(text, `names an unknown time zone '${zone}'`);
  return { kind: 'time', hour, minute, zone, text: `${time[1]!.padStart(2, '0')}:${time[2]} ${zone}` };
}

/** The wall-clock fields of `at` in `zone`. */
function wallClock(at: Date, zone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour'), minute: field('minute') };
}

/** Minutes `zone` is ahead of UTC at `at`. */
function offsetMinutes(at: Date, zone: string): number {
  const w = wallClock(at, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant the wall clock of `zone` shows `hour:minute` on the given calendar day. A time that a
 * DST change skips (02:30 on the spring-forward night) comes out an hour later, as clocks show it.
 */
function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, zone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let at = guess - offsetMinutes(new Date(guess), zone) * 60_000;
  // The offset at the guess may differ from the one at the answer (a DST change in between): once more.
  at = guess - offsetMinutes(new Date(at), zone) * 60_000;
  return new Date(at);
}

/** The deadline a submit at `from` promises: the next `hour:minute` in the zone after it, or `from` plus the duration. */
export function deadlineAfter(deliverBy: DeliverBy, from: Date): Date {
  if (deliverBy.kind === 'duration') return new Date(from.getTime() + deliverBy.ms);
  const today = wallClock(from, deliverBy.zone);
  for (let days = 0; days < 3; days++) {
    // Calendar arithmetic on a UTC date: the day after the zone's today, whatever its length.
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const at = zonedInstant(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      deliverBy.hour,
      deliverBy.minute,
      deliverBy.zone,
    );
    if (at.getTime() > from.getTime()) return at;
  }
  throw new Error(`internal: no ${deliverBy.text} within three days of ${from.toISOString()}`);
}

/** "in 7h30m" / "in 45m": how far away a deadline is, for log lines. */
export function untilText(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours}h${String(minutes % 60).padStart(2, '0')}m` : `${minutes}m`;
}

/**
 * The one warning line of a submit whose batch might not end in time: a batch may take up to 24 hours,
 * so any deadline closer than that can be missed; null when the worst case is within it.
 */
export function deadlineWarning(deliverBy: DeliverBy, deadline: Date, submittedAt: Date): string | null {
  const worstCase = new Date(submittedAt.getTime() + BATCH_WORST_CASE_MS);
  if (worstCase.getTime() <= deadline.getTime()) return null;
  return (
    `deliver-by ${deliverBy.text} (${deadline.toISOString()}, in ${untilText(submittedAt, deadline)}) is before the batch's 24-hour worst case (${worstCase.toISOString()}): ` +
    'most batches end within an hour; a collect at or after the deadline answers what is still processing through the interactive API at full price'
  );
}

/** With `mode: auto`: a deadline closer than this sends small work interactively rather than as a batch. */
export const AUTO_INTERACTIVE_HOURS = 2;
/** With `mode: auto` and a close deadline: at most this many requests go interactively. */
export const AUTO_INTERACTIVE_MAX_REQUESTS = 50;

/**
 * The `auto` rule with a deadline: interactive when the deadline is less than AUTO_INTERACTIVE_HOURS
 * away (most batches take up to an hour, and a collect must still run) and the work is small (at most
 * AUTO_INTERACTIVE_MAX_REQUESTS requests); null when the deadline does not decide (sync-threshold does).
 */
export function autoByDeadline(deadline: Date, now: Date, requests: number): { interactive: boolean; why: string } | null {
  const hoursLeft = (deadline.getTime() - now.getTime()) / 3_600_000;
  if (hoursLeft >= AUTO_INTERACTIVE_HOURS) return null;
  if (requests > AUTO_INTERACTIVE_MAX_REQUESTS) {
    return {
      interactive: false,
      why: `the deadline is ${untilText(now, deadline)} away but ${requests} requests are more than ${AUTO_INTERACTIVE_MAX_REQUESTS} to send interactively: submitting a batch`,
    };
  }
  return {
    interactive: true,
    why: `the deadline is ${untilText(now, deadline)} away (under ${AUTO_INTERACTIVE_HOURS}h) and ${requests} requests are few: running them interactively now`,
  };
}
