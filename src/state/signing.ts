// Why a state can be believed. A state steers what overnight sends (since: last skips what it lists as
// reviewed), whom it posts to (its pull request) and what counts as done (collectedAt). Anyone who can
// make a workflow run upload an artifact can name it like a state (a fork's pull_request run, a
// dependency's install script in a same-repository run), so a state is used only when it carries an
// HMAC made with a key that such a run cannot read: derived (HKDF-SHA256, a fixed label) from the
// Anthropic API key, a secret that fork pull_request runs and Dependabot runs never receive. The key
// itself never leaves the process; a state signed with one key is refused under another (a rotated
// API key: collect such a state's batch with batch-id).
//
// What is signed is the state document's text line by line (document.ts), bound to the name it is
// saved under (an artifact name holds the run that uploaded it, so a signed state copied under another
// name, as another run's or as a newer revision, no longer verifies).
import { createHmac, hkdfSync, timingSafeEqual, type Hmac } from 'node:crypto';

const HKDF_SALT = 'overnight';
const HKDF_INFO = 'overnight state signing v1';
const DOCUMENT_DOMAIN = 'overnight-state-v1';
const COLLECTED_DOMAIN = 'overnight-collected-v1';

/** Hex digits of the tag a collected revision carries in its artifact name (128 bits). */
export const COLLECTED_TAG_LENGTH = 32;

/** Why a state was not believed: one line for the warning that names it. */
export class StateUntrustedError extends Error {
  override name = 'StateUntrustedError';
}

/** A state saved without a signature (by overnight before states were signed, or by anyone else). */
export class UnsignedStateError extends StateUntrustedError {
  override name = 'UnsignedStateError';
}

export class StateSigner {
  private constructor(private readonly key: Buffer) {}

  /** The signer of everyone who holds this API key; null without a key (nothing can be signed). */
  /**
   * The run's signer, for its states and its ledger alike: an explicit state-signing-key wins (a cloud
   * provider's night has no API key, and an API key set in only one of the jobs must not split the
   * signatures); otherwise one derived from the API key.
   */
  static forRun(keys: { apiKey: string; stateSigningKey: string }): StateSigner | null {
    return StateSigner.fromApiKey(keys.stateSigningKey || keys.apiKey);
  }

  static fromApiKey(apiKey: string): StateSigner | null {
    if (!apiKey) return null;
    return new StateSigner(Buffer.from(hkdfSync('sha256', apiKey, HKDF_SALT, HKDF_INFO, 32)));
  }

  /** An HMAC over a state document saved as `label` (an artifact name, or "file"); feed it the document's lines. */
  documentMac(label: string): Hmac {
    return createHmac('sha256', this.key).update(`${DOCUMENT_DOMAIN}\n${label}\n`);
  }

  /** The tag that proves a `…c` revision name was chosen by a holder of the key (it is skipped unread). */
  collectedTag(name: string): string {
    return createHmac('sha256', this.key).update(`${COLLECTED_DOMAIN}\n${name}`).digest('hex').slice(0, COLLECTED_TAG_LENGTH);
  }
}

/** Constant-time comparison of two hex strings. */
export function sameHex(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
