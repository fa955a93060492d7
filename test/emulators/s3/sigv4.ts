// What an AWS emulator checks of a request's signature: that it is SigV4, signed for this service and
// region, by a key it knows. The signature itself is not recomputed (that would re-implement the
// SDK's signer, and both sides would then share any bug); a request the official client did not sign
// (no Authorization header, or no credentials at all) is refused as AWS refuses it.
import type { IncomingMessage } from 'node:http';

export interface Caller {
  accessKeyId: string;
}

export interface SignatureProblem {
  status: number;
  code: string;
  message: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;:-]+), ?Signature=[0-9a-f]{64}$/;

export function checkSignature(
  request: IncomingMessage,
  expected: { service: string; region: string; accessKeys: ReadonlySet<string> },
): Caller | SignatureProblem {
  const header = request.headers.authorization;
  if (!header) return { status: 403, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' };
  const match = AUTH.exec(header);
  if (!match) return { status: 403, code: 'IncompleteSignature', message: 'Authorization header is not a SigV4 signature' };
  const [, key, , region, service, signed] = match;
  if (!request.headers['x-amz-date']) return { status: 403, code: 'IncompleteSignature', message: 'x-amz-date is missing' };
  // HTTP/2 carries the host as :authority.
  const names = signed!.split(';');
  if (!names.includes('host') && !names.includes(':authority')) {
    return { status: 403, code: 'IncompleteSignature', message: 'host is not signed' };
  }
  if (service !== expected.service) {
    return {
      status: 403,
      code: 'InvalidSignatureException',
      message: `credential scope names service ${service}, expected ${expected.service}`,
    };
  }
  if (region !== expected.region) {
    return {
      status: 403,
      code: 'InvalidSignatureException',
      message: `credential scope names region ${region}, expected ${expected.region}`,
    };
  }
  if (!expected.accessKeys.has(key!)) {
    return {
      status: 403,
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  return { accessKeyId: key! };
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
