// Finding exported functions, classes and values in numbered source lines, with their parameter
// lists, so generated tests, doc comments and refactor verdicts talk about what the code really has.
import type { LanguageFamily } from './prompt.js';

export interface ExportedSymbol {
  name: string;
  kind: 'function' | 'class' | 'value' | 'type';
  /** The line the declaration starts on. */
  line: number;
  /** Parameter names (functions only), as written, in order. */
  params: string[];
  /** How many parameters come before the first optional/default/rest one (JS Function.length). */
  arity: number;
  isDefault: boolean;
  /** Indentation of the declaration line. */
  indent: string;
}

const JS_FUNCTION = /^(\s*)export\s+(default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^(]*>)?\s*\(/;
const JS_ARROW =
  /^(\s*)export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b[^(]*\(|(?:<[^(]*>)?\s*\(|([A-Za-z_$][\w$]*)\s*=>)/;
const JS_CLASS = /^(\s*)export\s+(default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;
const JS_VALUE = /^(\s*)export\s+(?:const|let|var|enum|const\s+enum)\s+([A-Za-z_$][\w$]*)/;
const JS_TYPE = /^(\s*)export\s+(?:declare\s+)?(?:interface|type)\s+([A-Za-z_$][\w$]*)/;
const JS_LIST = /^\s*export\s*(?:type\s*)?\{([^}]*)\}/;
const PY_DEF = /^()(?:async\s+)?def\s+([A-Za-z]\w*)\s*\(/;
const PY_CLASS = /^()class\s+([A-Za-z]\w*)/;
const GO_FUNC = /^()func\s+([A-Z]\w*)\s*(?:\[[^\]]*\])?\s*\(/;
const GO_TYPE = /^()type\s+([A-Z]\w*)\s/;

/** Text of the parenthesised list opening at `line`/`column`, across lines if needed. */
function parenthesised(lines: Map<number, string>, line: number, column: number): string {
  let depth = 0;
  let out = '';
  for (let n = line; lines.has(n) && n < line + 60; n++) {
    const text = lines.get(n)!;
    for (let i = n === line ? column : 0; i < text.length; i++) {
      const ch = text[i]!;
      if ('([{<'.includes(ch)) depth++;
      if (')]}>'.includes(ch) && !(ch === '>' && text[i - 1] === '=')) depth--;
      if (depth === 0) return out.slice(1);
      out += ch;
    }
    out += ' ';
  }
  return out.slice(1);
}

/** Splits a parameter list on top-level commas. */
export function splitParams(list: string): string[] {
  const params: string[] = [];
  let depth = 0;
  let current = '';
  let previous = '';
  for (const ch of list) {
    if ('([{<'.includes(ch)) depth++;
    if (')]}>'.includes(ch) && !(ch === '>' && previous === '=')) depth--;
    previous = ch;
    if (ch === ',' && depth === 0) {
      params.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) params.push(current.trim());
  return params.filter((p) => p !== '' && !/^this\s*:/.test(p));
}

function arityOf(params: string[], family: LanguageFamily): number {
  if (family !== 'js') return params.filter((p) => !p.includes('=') && !p.startsWith('*')).length;
  const index = params.findIndex((p) => p.startsWith('...') || /^[^:]*=/.test(p.replace(/=>/g, '')));
  return index === -1 ? params.length : index;
}

export function paramName(param: string): string {
  const cleaned = param.replace(/^\.\.\./, '').replace(/^\*+/, '');
  const match = /^([A-Za-z_$][\w$]*)/.exec(cleaned);
  return match ? match[1]! : 'options';
}

export function findExports(lines: Map<number, string>, family: LanguageFamily): ExportedSymbol[] {
  const symbols: ExportedSymbol[] = [];
  const numbers = [...lines.keys()].sort((a, b) => a - b);
  const functionPatterns =
    family === 'js' ? [JS_FUNCTION, JS_ARROW] : family === 'py' ? [PY_DEF] : family === 'go' ? [GO_FUNC] : [];
  const classPatterns = family === 'js' ? [JS_CLASS] : family === 'py' ? [PY_CLASS] : family === 'go' ? [GO_TYPE] : [];
  for (const n of numbers) {
    const text = lines.get(n)!;
    let matched = false;
    for (const pattern of functionPatterns) {
      const match = pattern.exec(text);
      if (!match) continue;
      const isDefault = pattern === JS_FUNCTION && Boolean(match[2]);
      const name = pattern === JS_FUNCTION ? match[3]! : match[2]!;
      let params: string[];
      const bareArrowParam = pattern === JS_ARROW ? match[3] : undefined;
      if (bareArrowParam) params = [bareArrowParam];
      else {
        const open = match[0].length - 1;
        params = splitParams(parenthesised(lines, n, open));
      }
      if (family === 'py') params = params.filter((p) => p !== 'self' && p !== 'cls' && p !== '*' && p !== '/');
      if (family === 'py' && name.startsWith('_')) break;
      symbols.push({
        name,
        kind: 'function',
        line: n,
        params,
        arity: arityOf(params, family),
        isDefault,
        indent: match[1] ?? '',
      });
      matched = true;
      break;
    }
    if (matched) continue;
    for (const pattern of classPatterns) {
      const match = pattern.exec(text);
      if (!match) continue;
      const name = pattern === JS_CLASS ? match[3]! : match[2]!;
      if (family === 'py' && name.startsWith('_')) break;
      symbols.push({
        name,
        kind: family === 'go' ? 'type' : 'class',
        line: n,
        params: [],
        arity: 0,
        isDefault: pattern === JS_CLASS && Boolean(match[2]),
        indent: match[1] ?? '',
      });
      matched = true;
      break;
    }
    if (matched || family !== 'js') continue;
    const value = JS_VALUE.exec(text) ?? JS_TYPE.exec(text);
    if (value) {
      symbols.push({
        name: value[2]!,
        kind: JS_TYPE.test(text) ? 'type' : 'value',
        line: n,
        params: [],
        arity: 0,
        isDefault: false,
        indent: value[1] ?? '',
      });
      continue;
    }
    const list = JS_LIST.exec(text);
    if (list) {
      for (const item of list[1]!.split(',')) {
        const exported = item
          .trim()
          .split(/\s+as\s+/)
          .pop()
          ?.trim();
        if (exported)
          symbols.push({ name: exported, kind: 'value', line: n, params: [], arity: 0, isDefault: false, indent: '' });
      }
    }
  }
  return symbols;
}
