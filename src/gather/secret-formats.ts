// Secret formats the recommended preset does not know (or knows too narrowly). Each pattern starts
// at a literal (a leading lookbehind or character class makes V8 try every position: ~0.5 ms per
// 25 KB each); where the match holds context (`AccountKey=`, `://`) the secret itself is the named
// group `secret`, so only it is replaced and the code around it stays readable.
//
// These are the patterns secretlint's pattern rule (@secretlint/secretlint-rule-pattern) would take
// as configuration, but they are run here, compiled once: the rule compiles every pattern again for
// every file (with the `u` flag) and dedupes with lodash, which made it cost three times the
// regular expressions themselves (bench's synthetic files: ~30 ms vs ~10 ms CPU per 1.7 MB) and
// was most of what redaction added to gather.
//
// Sources: the formats' public documentation (Google API keys, RFC 7519 JWT, Azure Storage
// connection strings and SAS, Twilio, Mailgun, Telegram Bot API, Sentry DSN, RFC 7468 PEM).
import type { Hit } from './secret-values.js';
// Body characters of a PEM block as code holds it: base64, line breaks, the `\n` of a string
// literal, the quotes and `+` of a concatenation, RFC 1421 headers (Proc-Type: 4,ENCRYPTED).
const PEM_BODY = String.raw`[A-Za-z0-9+/=\s\\"',.:_-]`;
const PEM_LABEL = String.raw`[A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?`;

/** A name (used in the `[REDACTED:<name>]` marker) and the regular expressions that find it. */
export interface FormatPattern {
  name: string;
  patterns: RegExp[];
}

export const FORMAT_PATTERNS: FormatPattern[] = [
  {
    // Every PEM private key (RSA, EC/SEC1, PKCS#8 including Ed25519's 64-character body, OpenSSH,
    // DSA, PGP, ENCRYPTED) whatever its length. Without an END line (a diff hunk that cuts the
    // block), the body characters that follow are taken, if there is a body (a parser's constant
    // holding only the BEGIN line is not a key).
    name: 'private-key',
    patterns: [
      new RegExp(
        String.raw`-----BEGIN ${PEM_LABEL}-----(?:${PEM_BODY}{0,20000}?-----END ${PEM_LABEL}-----|[\s\\n"'+]*[A-Za-z0-9+/=]{16}${PEM_BODY}{0,20000})`,
      ),
    ],
  },
  // AIza + 35 characters, wherever it stands (google-services.json's current_key, a Maps URL).
  { name: 'google-api-key', patterns: [/AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/] },
  // A signed JWT: base64url JSON header and payload (both start with `{"` = eyJ) and a signature.
  { name: 'jwt', patterns: [/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/] },
  {
    name: 'azure-key',
    patterns: [
      /AccountKey=(?<secret>[A-Za-z0-9+/]{20,}={0,2})/,
      /SharedAccessKey=(?<secret>[A-Za-z0-9+/]{20,}={0,2})/,
      // A SAS token's signature, in a URL or a connection string.
      /\bsig=(?<secret>[A-Za-z0-9%+/=]{16,})/,
    ],
  },
  {
    name: 'twilio',
    patterns: [
      // API key SIDs (SK + 32 hex), and an auth token passed right after an account SID.
      /\bSK[0-9a-fA-F]{32}\b/,
      /\bAC[0-9a-f]{32}["'`]?\s*[,:]\s*["'`]?(?<secret>[0-9a-f]{32})\b/,
    ],
  },
  // The legacy format; today's keys (hex groups) are caught under their names by the generic rule.
  { name: 'mailgun', patterns: [/\bkey-[0-9a-zA-Z]{32}\b/] },
  // Bot API tokens: the bot's numeric id, a colon, and 35 characters starting with AA.
  { name: 'telegram', patterns: [/\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/] },
  // A 32-hex key as a URL's user (Sentry DSNs `https://<key>@o1.ingest.sentry.io/2`, with the
  // legacy `:<secret>` too).
  { name: 'sentry-dsn', patterns: [/:\/\/(?<secret>[0-9a-f]{32}(?::[0-9a-f]{32})?)@/] },
  { name: 'sendgrid', patterns: [/\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/] },
  { name: 'huggingface', patterns: [/\bhf_[A-Za-z]{34}\b/] },
  { name: 'github', patterns: [/\bgithub_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}\b/, /\bgh[pousr]_[0-9A-Za-z]{36}\b/] },
];

const COMPILED = FORMAT_PATTERNS.flatMap((format) =>
  format.patterns.map((pattern) => ({ name: format.name, pattern: new RegExp(pattern.source, 'dg') })),
);

/** Every format match in `content`: the `secret` group where the pattern has one, else the whole match. */
export function formatHits(content: string): Hit[] {
  const hits: Hit[] = [];
  for (const { name, pattern } of COMPILED) {
    for (const match of content.matchAll(pattern)) {
      const [start, end] = match.indices!.groups?.secret ?? match.indices![0]!;
      hits.push({ start, end, rule: name });
    }
  }
  return hits;
}
