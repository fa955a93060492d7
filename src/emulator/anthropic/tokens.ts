// Token accounting derived from what was sent. One counting rule (ceil(chars / 4)) serves
// count_tokens and the usage of every answer, so a client's estimate can be checked against both.
import { createHash } from 'node:crypto';
import { isRecord } from './validation.js';

export interface PromptSegment {
  text: string;
  /** TTL of the cache breakpoint on this block, when it carries `cache_control`. */
  cacheTtl: '5m' | '1h' | null;
}

export interface UsageCounts {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export const tokensForChars = (chars: number): number => Math.ceil(chars / 4);

function blockText(block: unknown): string {
  if (!isRecord(block)) return '';
  if (block.type === 'text' && typeof block.text === 'string') return block.text;
  // Non-text blocks (images, tool results, ...) still cost tokens; their JSON length is a fair stand-in.
  return JSON.stringify(block);
}

function ttlOf(block: unknown): '5m' | '1h' | null {
  if (!isRecord(block) || !isRecord(block.cache_control)) return null;
  return block.cache_control.ttl === '1h' ? '1h' : '5m';
}

/** The prompt as the cache sees it: system blocks, then every message's blocks, in order. */
export function promptSegments(params: Record<string, unknown>): PromptSegment[] {
  const segments: PromptSegment[] = [];
  const system = params.system;
  if (typeof system === 'string') segments.push({ text: system, cacheTtl: null });
  else if (Array.isArray(system)) for (const block of system) segments.push({ text: blockText(block), cacheTtl: ttlOf(block) });
  if (Array.isArray(params.messages)) {
    for (const message of params.messages) {
      if (!isRecord(message)) continue;
      const content = message.content;
      if (typeof content === 'string') segments.push({ text: content, cacheTtl: null });
      else if (Array.isArray(content))
        for (const block of content) segments.push({ text: blockText(block), cacheTtl: ttlOf(block) });
    }
  }
  // Top-level cache_control (automatic caching) puts the breakpoint on the last block.
  if (isRecord(params.cache_control) && segments.length > 0) {
    const last = segments[segments.length - 1]!;
    last.cacheTtl ??= params.cache_control.ttl === '1h' ? '1h' : '5m';
  }
  return segments;
}

/** Input tokens of a request: ceil(chars / 4) over the system and message text. */
export function countTokens(params: unknown): number {
  if (!isRecord(params)) return 0;
  const chars = promptSegments(params).reduce((sum, segment) => sum + segment.text.length, 0);
  return tokensForChars(chars);
}

/** The shortest prefix a model caches; shorter prefixes are silently not cached. */
export function minCacheableTokens(model: string): number {
  if (/haiku-4-5|opus-4-5|opus-4-6/.test(model)) return 4096;
  if (/opus-4-7/.test(model)) return 2048;
  return 1024;
}

/**
 * Remembers every prefix written, so the first request with a given cached prefix pays a cache write
 * and later ones read it. Deterministic where the real API is best-effort.
 */
export class PromptCache {
  private readonly written = new Set<string>();

  usage(params: Record<string, unknown>): UsageCounts {
    const model = String(params.model);
    const segments = promptSegments(params);
    const total = tokensForChars(segments.reduce((sum, s) => sum + s.text.length, 0));
    const minimum = minCacheableTokens(model);

    const hash = createHash('sha256')
      .update(model)
      .update('\0')
      .update(JSON.stringify(params.tools ?? null));
    const breakpoints: { key: string; tokens: number; ttl: '5m' | '1h' }[] = [];
    let chars = 0;
    for (const segment of segments) {
      hash.update('\0').update(segment.text);
      chars += segment.text.length;
      const tokens = tokensForChars(chars);
      if (segment.cacheTtl && tokens >= minimum) {
        breakpoints.push({ key: hash.copy().digest('hex'), tokens, ttl: segment.cacheTtl });
      }
    }

    let lastHit = -1;
    breakpoints.forEach((bp, i) => {
      if (this.written.has(bp.key)) lastHit = i;
    });
    const read = lastHit >= 0 ? breakpoints[lastHit]!.tokens : 0;
    const written = { '5m': 0, '1h': 0 };
    let covered = read;
    for (const bp of breakpoints.slice(lastHit + 1)) {
      written[bp.ttl] += bp.tokens - covered;
      covered = bp.tokens;
      this.written.add(bp.key);
    }
    const creation = written['5m'] + written['1h'];
    return {
      input_tokens: total - read - creation,
      cache_creation_input_tokens: creation,
      cache_read_input_tokens: read,
      cache_creation: { ephemeral_5m_input_tokens: written['5m'], ephemeral_1h_input_tokens: written['1h'] },
    };
  }
}
