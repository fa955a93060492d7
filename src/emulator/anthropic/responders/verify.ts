// Verification requests (src/tasks/verify.ts): the findings a request asks to check, read back from its
// <findings> element, and an answer in the verification schema. The default responder keeps every
// finding whose cited lines hold code; tests script keep or drop per finding with verifyingResponder.
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { outputSchema, userText } from './prompt.js';

/** One finding as a verification request shows it. */
export interface CheckedFinding {
  id: string;
  lines: string;
  quote: string;
  trigger: string | null;
  severity: string;
  confidence: string | null;
  category: string;
  cwe: string | null;
  title: string;
  explanation: string;
}

/** What a scripted verifier says of one finding: keep or drop (with a default reason and `certain`), or all of it. */
export type VerifyDecision =
  'keep' | 'drop' | { decision: 'keep' | 'drop'; reason: string; confidence: 'certain' | 'likely' | 'possible' };

/** Whether a request is a verification request (its schema asks for `checks`). */
export function isVerificationRequest(params: MessageCreateParamsNonStreaming): boolean {
  const schema = outputSchema(params as unknown as Record<string, unknown>);
  const properties = schema?.properties;
  return typeof properties === 'object' && properties !== null && 'checks' in properties;
}

/** The findings a verification request asks to check (empty when it holds none). */
export function checkedFindings(params: MessageCreateParamsNonStreaming): CheckedFinding[] {
  const text = userText(params as unknown as Record<string, unknown>);
  const match = /<findings>\n([\s\S]*?)\n<\/findings>/.exec(text);
  if (!match) return [];
  try {
    const parsed = JSON.parse(match[1]!) as unknown;
    return Array.isArray(parsed) ? (parsed as CheckedFinding[]) : [];
  } catch {
    return [];
  }
}

/** The answer a verifier deciding with `decide` writes. */
export function verificationAnswer(findings: CheckedFinding[], decide: (finding: CheckedFinding) => VerifyDecision): string {
  const checks = findings.map((finding) => {
    const said = decide(finding);
    const full =
      typeof said === 'string'
        ? {
            decision: said,
            reason: said === 'keep' ? `lines ${finding.lines} do what the finding says` : `lines ${finding.lines} do not do that`,
            confidence: 'certain' as const,
          }
        : said;
    return { id: finding.id, reason: full.reason, decision: full.decision, confidence: full.confidence };
  });
  return JSON.stringify({ checks });
}

/** The default verifier: keeps a finding that quotes code, drops one that quotes nothing. */
export function defaultVerification(params: MessageCreateParamsNonStreaming): string {
  return verificationAnswer(checkedFindings(params), (finding) => (finding.quote.trim() ? 'keep' : 'drop'));
}
