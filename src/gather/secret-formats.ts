// Secret formats the recommended preset does not know (or knows too narrowly), given to secretlint's
// own pattern rule (@secretlint/secretlint-rule-pattern). A pattern starts at a literal (the
// rule compiles it with the `u` flag, where a leading lookbehind or character class makes V8 try
// every position: ~0.5 ms per 25 KB each); where the match holds context (`AccountKey=`, `://`)
// the secret itself is the named group `secret`, so only it is replaced and the code around it
// stays readable.
//
// Sources: the formats' public documentation (Google API keys, RFC 7519 JWT, Azure Storage
// connection strings and SAS, Twilio, Mailgun, Telegram Bot API, Sentry DSN, RFC 7468 PEM).
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

const FORMATS_BY_NAME = new Map(
  FORMAT_PATTERNS.map((format) => [format.name, format.patterns.map((p) => new RegExp(p.source, 'yd'))]),
);

/**
 * The secret within a match the pattern rule reported at [start, end): the `secret` group when the
 * pattern has one, else the whole match.
 */
export function secretWithin(name: string, content: string, start: number, end: number): [number, number] {
  for (const pattern of FORMATS_BY_NAME.get(name) ?? []) {
    pattern.lastIndex = start;
    const match = pattern.exec(content);
    if (!match || match.index + match[0].length !== end) continue;
    return match.indices!.groups?.secret ?? [start, end];
  }
  return [start, end];
}

/** The configuration of secretlint's pattern rule: each RegExp as the `/source/flags` string it reads. */
export function patternRuleOptions(): { patterns: { name: string; patterns: string[] }[] } {
  return {
    patterns: FORMAT_PATTERNS.map((format) => ({
      name: format.name,
      patterns: format.patterns.map((pattern) => `/${pattern.source}/${pattern.flags}`),
    })),
  };
}
