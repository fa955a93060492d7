// Reading notify-url, apart from the sender (notify.ts) so that the configuration (and the CLI's --help)
// loads nothing else: the URL is a secret, so no message here repeats it; a line names its host only.
import { UsageError } from '../errors.js';

/** Hosts plain http is accepted for: a receiver on this machine (tests, a local relay), never the network. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Reads notify-url: '' → null; an https URL, or http to a loopback host, → the URL; anything else a
 * UsageError that says what is wrong without repeating the value (it is a secret).
 */
export function checkNotifyUrl(value: string): string | null {
  const text = value.trim();
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('notify-url: not a URL (the value is a secret and is not shown); give the webhook URL, https://…');
  }
  if (url.username || url.password) {
    throw new UsageError(`notify-url: a URL with a user name or password is not accepted (host ${url.host})`);
  }
  if (url.protocol === 'https:') return url.toString();
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url.toString();
  throw new UsageError(
    `notify-url: only https URLs are accepted (plain http only to localhost); got ${url.protocol.replace(/:$/, '')} to ${url.host}`,
  );
}

/** The parts of the URL to mask wherever text is logged: the whole URL, and its path and query (the credential). */
export function notifySecrets(url: string | null): string[] {
  if (!url) return [];
  const parsed = new URL(url);
  return [url, url.replace(/\/$/, ''), `${parsed.pathname}${parsed.search}`].filter((s) => s.length >= 8 && s !== '/');
}
