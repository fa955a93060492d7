// The model's text block → JSON. Structured outputs make the text pure JSON; the only deviation we
// tolerate is a surrounding ```json fence (seen when a request falls back to plain prompting). Anything
// else is a malformed answer, reported with the start of what we got so a user can tell what happened.
import { MalformedAnswerError } from './task.js';

const FENCE = /^```(?:json|JSON)?[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine;
}

export function parseAnswerText(text: string): unknown {
  const trimmed = text.trim();
  const fenced = FENCE.exec(trimmed);
  const body = fenced ? fenced[1]! : trimmed;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new MalformedAnswerError(`answer is not JSON: ${preview(text) || '(empty)'}`);
  }
}
