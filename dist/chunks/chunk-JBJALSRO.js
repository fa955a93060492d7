import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-7KZNXQQH.js";

// src/gather/since.ts
var UNIT_MS = {
  m: 6e4,
  h: 36e5,
  d: 864e5,
  w: 7 * 864e5
};
var ANCESTRY_SUFFIX = /(?:[~^]\d*)*$/;
function refused(text) {
  return new UsageError(`--since: cannot read '${text}'; use 24h, 7d, last, a commit SHA or a ref`);
}
function isValidRefName(name) {
  if (name.length === 0 || name === "@" || name.startsWith("-") || name.startsWith("/")) return false;
  if (name.endsWith("/") || name.endsWith(".")) return false;
  if (name.includes("..") || name.includes("@{") || name.includes("//")) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 32 || code === 127) return false;
  }
  if (/[~^:?*[\\]/.test(name)) return false;
  return name.split("/").every((part) => part.length > 0 && !part.startsWith(".") && !part.endsWith(".lock"));
}
function parseSince(text) {
  const value = text.trim();
  if (value === "") throw refused(text);
  if (value.toLowerCase() === "last") return { kind: "last" };
  const duration = /^(\d+)\s*([mhdw])$/i.exec(value);
  if (duration) {
    const amount = Number(duration[1]);
    if (!Number.isSafeInteger(amount) || amount === 0) throw refused(text);
    const unit = duration[2].toLowerCase();
    return { kind: "duration", ms: amount * UNIT_MS[unit], text: `${amount}${unit}` };
  }
  if (/^[0-9a-f]{7,64}$/i.test(value)) return { kind: "revision", rev: value };
  const suffix = ANCESTRY_SUFFIX.exec(value)?.[0] ?? "";
  const name = value.slice(0, value.length - suffix.length);
  if (isValidRefName(name)) return { kind: "revision", rev: value };
  throw refused(text);
}

// src/engine/deliver-by.ts
var BATCH_WORST_CASE_MS = 24 * 36e5;
function refused2(text, why) {
  return new UsageError(
    `deliver-by: '${text}' ${why}; give a time of day and an IANA time zone (08:00 Europe/Berlin), or a duration after submit (6h, 90m)`
  );
}
function knownZone(zone) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
function parseDeliverBy(raw) {
  const text = raw.trim();
  if (text === "") return null;
  const duration = /^(\d+)\s*([mhd])$/i.exec(text);
  if (duration) {
    const amount = Number(duration[1]);
    if (!Number.isSafeInteger(amount) || amount === 0) throw refused2(text, "is not a duration of at least one minute");
    const unit = duration[2].toLowerCase();
    return { kind: "duration", ms: amount * UNIT_MS[unit], text: `${amount}${unit}` };
  }
  const time = /^(\d{1,2}):(\d{2})(?:\s+(\S+))?$/.exec(text);
  if (!time) throw refused2(text, "is neither a time of day nor a duration");
  const hour = Number(time[1]);
  const minute = Number(time[2]);
  if (hour > 23 || minute > 59) throw refused2(text, "is not a time of day (00:00 to 23:59)");
  const zone = time[3];
  if (!zone) throw refused2(text, "names no time zone");
  if (!knownZone(zone)) throw refused2(text, `names an unknown time zone '${zone}'`);
  return { kind: "time", hour, minute, zone, text: `${time[1].padStart(2, "0")}:${time[2]} ${zone}` };
}
function wallClock(at, zone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric"
  }).formatToParts(at);
  const field = (type) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  return { year: field("year"), month: field("month"), day: field("day"), hour: field("hour"), minute: field("minute") };
}
function offsetMinutes(at, zone) {
  const w = wallClock(at, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((asUtc - Math.floor(at.getTime() / 6e4) * 6e4) / 6e4);
}
function zonedInstant(year, month, day, hour, minute, zone) {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let at = guess - offsetMinutes(new Date(guess), zone) * 6e4;
  at = guess - offsetMinutes(new Date(at), zone) * 6e4;
  return new Date(at);
}
function deadlineAfter(deliverBy, from) {
  if (deliverBy.kind === "duration") return new Date(from.getTime() + deliverBy.ms);
  const today = wallClock(from, deliverBy.zone);
  for (let days = 0; days < 3; days++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const at = zonedInstant(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      deliverBy.hour,
      deliverBy.minute,
      deliverBy.zone
    );
    if (at.getTime() > from.getTime()) return at;
  }
  throw new Error(`internal: no ${deliverBy.text} within three days of ${from.toISOString()}`);
}
function untilText(from, to) {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 6e4));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours}h${String(minutes % 60).padStart(2, "0")}m` : `${minutes}m`;
}
function deadlineWarning(deliverBy, deadline, submittedAt) {
  const worstCase = new Date(submittedAt.getTime() + BATCH_WORST_CASE_MS);
  if (worstCase.getTime() <= deadline.getTime()) return null;
  return `deliver-by ${deliverBy.text} (${deadline.toISOString()}, in ${untilText(submittedAt, deadline)}) is before the batch's 24-hour worst case (${worstCase.toISOString()}): most batches end within an hour; a collect at or after the deadline answers what is still processing through the interactive API at full price`;
}
var AUTO_INTERACTIVE_HOURS = 2;
var AUTO_INTERACTIVE_MAX_REQUESTS = 50;
function autoByDeadline(deadline, now, requests) {
  const hoursLeft = (deadline.getTime() - now.getTime()) / 36e5;
  if (hoursLeft >= AUTO_INTERACTIVE_HOURS) return null;
  if (requests > AUTO_INTERACTIVE_MAX_REQUESTS) {
    return {
      interactive: false,
      why: `the deadline is ${untilText(now, deadline)} away but ${requests} requests are more than ${AUTO_INTERACTIVE_MAX_REQUESTS} to send interactively: submitting a batch`
    };
  }
  return {
    interactive: true,
    why: `the deadline is ${untilText(now, deadline)} away (under ${AUTO_INTERACTIVE_HOURS}h) and ${requests} requests are few: running them interactively now`
  };
}

export {
  parseSince,
  parseDeliverBy,
  deadlineAfter,
  deadlineWarning,
  autoByDeadline
};
