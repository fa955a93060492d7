// Reading a Messages request the way the default responder needs it: the system text, the user
// text (where the <file> blocks live) and the requested output schema.
import { isRecord } from '../validation.js';

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) => (isRecord(block) && block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .filter(Boolean)
    .join('\n');
}

export function systemText(params: Record<string, unknown>): string {
  return textOf(params.system);
}

export function userText(params: Record<string, unknown>): string {
  if (!Array.isArray(params.messages)) return '';
  return params.messages
    .filter((m): m is Record<string, unknown> => isRecord(m) && m.role === 'user')
    .map((m) => textOf(m.content))
    .join('\n');
}

export function outputSchema(params: Record<string, unknown>): Record<string, unknown> | null {
  const config = params.output_config;
  if (!isRecord(config) || !isRecord(config.format)) return null;
  return isRecord(config.format.schema) ? config.format.schema : null;
}

export type LanguageFamily = 'js' | 'py' | 'go' | 'other';

export function languageFamily(language: string, path: string): LanguageFamily {
  const lang = language.toLowerCase();
  if (/^(typescript|javascript|tsx|jsx|ts|js)$/.test(lang) || /\.[cm]?[jt]sx?$/.test(path)) return 'js';
  if (lang === 'python' || path.endsWith('.py')) return 'py';
  if (lang === 'go' || path.endsWith('.go')) return 'go';
  return 'other';
}

/** The text of a line with string literals blanked and trailing comments removed (JS-ish/Python). */
export function codeOnly(line: string, family: LanguageFamily): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\') {
        out += '  ';
        i++;
        continue;
      }
      if (ch === quote) {
        quote = null;
        out += ch;
      } else out += ' ';
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
      out += ch;
      continue;
    }
    if (family === 'py' ? ch === '#' : ch === '/' && line[i + 1] === '/') break;
    out += ch;
  }
  return out;
}
