// The default responder: answers the way a careful model would, from what the request really holds.
// The answer shape follows the requested schema's top-level properties (findings, files, verdicts).
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { parseFileBlocks } from '../../../prompt/format.js';
import { findingsAnswer } from './findings.js';
import { docsUpdateAnswer, testGenerationAnswer } from './files.js';
import { outputSchema, systemText, userText } from './prompt.js';
import { fitToSchema } from './schema-fit.js';
import { verdictsAnswer } from './verdicts.js';
import {
  checkedFindings,
  defaultVerification,
  isVerificationRequest,
  verificationAnswer,
  type VerifyDecision,
  type CheckedFinding,
} from './verify.js';

export { checkedFindings, isVerificationRequest, type CheckedFinding, type VerifyDecision } from './verify.js';

/** Produces the answer text (the JSON the model would write) for one Messages request. */
export type Responder = (params: MessageCreateParamsNonStreaming) => string;

/** Which files task the request is: the task names win, then whichever subject the prompt stresses. */
function isDocsTask(text: string): boolean {
  if (/test-generation/i.test(text)) return false;
  if (/docs-update/i.test(text)) return true;
  const tests = text.match(/\btests?\b/gi)?.length ?? 0;
  const docs = text.match(/\b(doc(s|string|strings)?|documentation|doc comments?|jsdoc)\b/gi)?.length ?? 0;
  return docs > tests;
}

function isSecurityScan(system: string): boolean {
  // The security-scan prompt casts the model as a security engineer/auditor; a code review merely lists security among its concerns.
  return /security[- ](scan|audit|engineer|review)|auditing .{0,40}\bfor vulnerabilit/i.test(system);
}

export const defaultResponder: Responder = (params) => {
  if (isVerificationRequest(params)) return defaultVerification(params);
  const request = params as unknown as Record<string, unknown>;
  const schema = outputSchema(request);
  const system = systemText(request);
  const user = userText(request);
  const blocks = parseFileBlocks(user);
  const properties = schema && typeof schema.properties === 'object' && schema.properties !== null ? schema.properties : {};

  let answer: unknown;
  if ('findings' in properties) answer = findingsAnswer(blocks, { securityOnly: isSecurityScan(system) });
  else if ('files' in properties) {
    const taskText = `${system}\n${JSON.stringify(schema)}`;
    answer = isDocsTask(taskText) ? docsUpdateAnswer(blocks) : testGenerationAnswer(blocks, `${system}\n${user}`);
  } else if ('verdicts' in properties) answer = verdictsAnswer(blocks);
  else answer = { summary: `Read ${blocks.length} file(s): ${blocks.map((b) => b.path).join(', ') || 'none'}.` };

  if (!schema) return typeof answer === 'object' && answer && 'summary' in answer ? String(answer.summary) : '';
  return JSON.stringify(fitToSchema(answer, schema));
};

/**
 * A model that answers verification requests with `decide` (keep or drop, per finding) and every
 * other request with `first` (default: the careful default responder).
 */
export function verifyingResponder(
  decide: (finding: CheckedFinding) => VerifyDecision,
  first: Responder = defaultResponder,
): Responder {
  return (params) => (isVerificationRequest(params) ? verificationAnswer(checkedFindings(params), decide) : first(params));
}
