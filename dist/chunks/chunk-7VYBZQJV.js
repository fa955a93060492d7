import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/state/signing.ts
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
var HKDF_SALT = "overnight";
var HKDF_INFO = "overnight state signing v1";
var DOCUMENT_DOMAIN = "overnight-state-v1";
var COLLECTED_DOMAIN = "overnight-collected-v1";
var COLLECTED_TAG_LENGTH = 32;
var StateUntrustedError = class extends Error {
  name = "StateUntrustedError";
};
var UnsignedStateError = class extends StateUntrustedError {
  name = "UnsignedStateError";
};
var StateSigner = class _StateSigner {
  constructor(key) {
    this.key = key;
  }
  key;
  /** The signer of everyone who holds this API key; null without a key (nothing can be signed). */
  /**
   * The run's signer, for its states and its ledger alike: an explicit state-signing-key wins (a cloud
   * provider's night has no API key, and an API key set in only one of the jobs must not split the
   * signatures); otherwise one derived from the API key.
   */
  static forRun(keys) {
    return _StateSigner.fromApiKey(keys.stateSigningKey || keys.apiKey);
  }
  static fromApiKey(apiKey) {
    if (!apiKey) return null;
    return new _StateSigner(Buffer.from(hkdfSync("sha256", apiKey, HKDF_SALT, HKDF_INFO, 32)));
  }
  /** An HMAC over a state document saved as `label` (an artifact name, or "file"); feed it the document's lines. */
  documentMac(label) {
    return createHmac("sha256", this.key).update(`${DOCUMENT_DOMAIN}
${label}
`);
  }
  /** The tag that proves a `…c` revision name was chosen by a holder of the key (it is skipped unread). */
  collectedTag(name) {
    return createHmac("sha256", this.key).update(`${COLLECTED_DOMAIN}
${name}`).digest("hex").slice(0, COLLECTED_TAG_LENGTH);
  }
};
function sameHex(given, expected) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export {
  COLLECTED_TAG_LENGTH,
  StateUntrustedError,
  UnsignedStateError,
  StateSigner,
  sameHex
};
