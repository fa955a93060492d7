import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  batchService
} from "./chunk-ZH3YD5UR.js";
import {
  monthKey,
  nextMonth,
  spentIn
} from "./chunk-JM2NVHAF.js";
import {
  decideCachingAgain,
  expectedPrefixCost,
  planRequests
} from "./chunk-25S7AB5Y.js";
import {
  GitObjectReader,
  JOB_SUMMARY_LIMIT_BYTES,
  SUBMODULE_MODE,
  SYMLINK_MODE,
  capBytes,
  codeCell,
  codeSpan,
  detectRepository,
  emptyTree,
  entryAt,
  formatUsd,
  gitignoreMatcher,
  listTree,
  nestedRulesFiles,
  normaliseRelativePath,
  objectSizes,
  openCheckRun,
  openRepository,
  pathUnder,
  plainLine,
  redactSecrets,
  require_parse_diff,
  resolveWindow,
  runGit,
  skippedCounts,
  skippedLines,
  streamGit,
  trustedCommitOf
} from "./chunk-VO54GUAL.js";
import {
  STATE_VERSION
} from "./chunk-62ANB5A3.js";
import {
  DEFAULT_PLAN_OPTIONS,
  FALSE_POSITIVE_CLASSES,
  classifyPath,
  countLines,
  dataChangeLeftOut,
  decodeUtf8,
  fingerprint,
  formatCount,
  generatedMarker,
  getTask,
  hasMinifiedName,
  isBinaryContent,
  isCredentialPath,
  isMinifiedContent,
  languageFor,
  makeFinding,
  normaliseCode,
  plural,
  sentFiles,
  splitLines,
  twinCode
} from "./chunk-FU5ULAXL.js";
import {
  deadlineAfter,
  deadlineWarning,
  parseSince
} from "./chunk-JBJALSRO.js";
import {
  BATCH_DISCOUNT,
  COMPARISON_MODELS,
  PRICES_CHECKED,
  priceFamily,
  resolvePrice,
  retirementWarning
} from "./chunk-2S72PKWC.js";
import {
  SEVERITIES
} from "./chunk-2Y3VZYX5.js";
import {
  ConfigError,
  UsageError
} from "./chunk-7KZNXQQH.js";
import {
  splitIntoBatches
} from "./chunk-HFKILKHU.js";
import {
  FatalApiError
} from "./chunk-PSXNXEIF.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-NINLAGOQ.js";

// node_modules/picomatch/lib/constants.js
var require_constants = __commonJS({
  "node_modules/picomatch/lib/constants.js"(exports, module) {
    "use strict";
    var path = __require("path");
    var WIN_SLASH = "\\\\/";
    var WIN_NO_SLASH = `[^${WIN_SLASH}]`;
    var DEFAULT_MAX_EXTGLOB_RECURSION = 0;
    var DOT_LITERAL = "\\.";
    var PLUS_LITERAL = "\\+";
    var QMARK_LITERAL = "\\?";
    var SLASH_LITERAL = "\\/";
    var ONE_CHAR = "(?=.)";
    var QMARK = "[^/]";
    var END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
    var START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
    var DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
    var NO_DOT = `(?!${DOT_LITERAL})`;
    var NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
    var NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
    var NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
    var QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
    var STAR = `${QMARK}*?`;
    var POSIX_CHARS = {
      DOT_LITERAL,
      PLUS_LITERAL,
      QMARK_LITERAL,
      SLASH_LITERAL,
      ONE_CHAR,
      QMARK,
      END_ANCHOR,
      DOTS_SLASH,
      NO_DOT,
      NO_DOTS,
      NO_DOT_SLASH,
      NO_DOTS_SLASH,
      QMARK_NO_DOT,
      STAR,
      START_ANCHOR
    };
    var WINDOWS_CHARS = {
      ...POSIX_CHARS,
      SLASH_LITERAL: `[${WIN_SLASH}]`,
      QMARK: WIN_NO_SLASH,
      STAR: `${WIN_NO_SLASH}*?`,
      DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
      NO_DOT: `(?!${DOT_LITERAL})`,
      NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
      NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
      START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
      END_ANCHOR: `(?:[${WIN_SLASH}]|$)`
    };
    var POSIX_REGEX_SOURCE = {
      __proto__: null,
      alnum: "a-zA-Z0-9",
      alpha: "a-zA-Z",
      ascii: "\\x00-\\x7F",
      blank: " \\t",
      cntrl: "\\x00-\\x1F\\x7F",
      digit: "0-9",
      graph: "\\x21-\\x7E",
      lower: "a-z",
      print: "\\x20-\\x7E ",
      punct: "\\-!\"#$%&'()\\*+,./:;<=>?@[\\]^_`{|}~",
      space: " \\t\\r\\n\\v\\f",
      upper: "A-Z",
      word: "A-Za-z0-9_",
      xdigit: "A-Fa-f0-9"
    };
    module.exports = {
      DEFAULT_MAX_EXTGLOB_RECURSION,
      MAX_LENGTH: 1024 * 64,
      POSIX_REGEX_SOURCE,
      // regular expressions
      REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
      REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
      REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
      REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
      REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
      REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,
      // Replace globs with equivalent patterns to reduce parsing time.
      REPLACEMENTS: {
        __proto__: null,
        "***": "*",
        "**/**": "**",
        "**/**/**": "**"
      },
      // Digits
      CHAR_0: 48,
      /* 0 */
      CHAR_9: 57,
      /* 9 */
      // Alphabet chars.
      CHAR_UPPERCASE_A: 65,
      /* A */
      CHAR_LOWERCASE_A: 97,
      /* a */
      CHAR_UPPERCASE_Z: 90,
      /* Z */
      CHAR_LOWERCASE_Z: 122,
      /* z */
      CHAR_LEFT_PARENTHESES: 40,
      /* ( */
      CHAR_RIGHT_PARENTHESES: 41,
      /* ) */
      CHAR_ASTERISK: 42,
      /* * */
      // Non-alphabetic chars.
      CHAR_AMPERSAND: 38,
      /* & */
      CHAR_AT: 64,
      /* @ */
      CHAR_BACKWARD_SLASH: 92,
      /* \ */
      CHAR_CARRIAGE_RETURN: 13,
      /* \r */
      CHAR_CIRCUMFLEX_ACCENT: 94,
      /* ^ */
      CHAR_COLON: 58,
      /* : */
      CHAR_COMMA: 44,
      /* , */
      CHAR_DOT: 46,
      /* . */
      CHAR_DOUBLE_QUOTE: 34,
      /* " */
      CHAR_EQUAL: 61,
      /* = */
      CHAR_EXCLAMATION_MARK: 33,
      /* ! */
      CHAR_FORM_FEED: 12,
      /* \f */
      CHAR_FORWARD_SLASH: 47,
      /* / */
      CHAR_GRAVE_ACCENT: 96,
      /* ` */
      CHAR_HASH: 35,
      /* # */
      CHAR_HYPHEN_MINUS: 45,
      /* - */
      CHAR_LEFT_ANGLE_BRACKET: 60,
      /* < */
      CHAR_LEFT_CURLY_BRACE: 123,
      /* { */
      CHAR_LEFT_SQUARE_BRACKET: 91,
      /* [ */
      CHAR_LINE_FEED: 10,
      /* \n */
      CHAR_NO_BREAK_SPACE: 160,
      /* \u00A0 */
      CHAR_PERCENT: 37,
      /* % */
      CHAR_PLUS: 43,
      /* + */
      CHAR_QUESTION_MARK: 63,
      /* ? */
      CHAR_RIGHT_ANGLE_BRACKET: 62,
      /* > */
      CHAR_RIGHT_CURLY_BRACE: 125,
      /* } */
      CHAR_RIGHT_SQUARE_BRACKET: 93,
      /* ] */
      CHAR_SEMICOLON: 59,
      /* ; */
      CHAR_SINGLE_QUOTE: 39,
      /* ' */
      CHAR_SPACE: 32,
      /*   */
      CHAR_TAB: 9,
      /* \t */
      CHAR_UNDERSCORE: 95,
      /* _ */
      CHAR_VERTICAL_LINE: 124,
      /* | */
      CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279,
      /* \uFEFF */
      SEP: path.sep,
      /**
       * Create EXTGLOB_CHARS
       */
      extglobChars(chars) {
        return {
          "!": { type: "negate", open: "(?:(?!(?:", close: `))${chars.STAR})` },
          "?": { type: "qmark", open: "(?:", close: ")?" },
          "+": { type: "plus", open: "(?:", close: ")+" },
          "*": { type: "star", open: "(?:", close: ")*" },
          "@": { type: "at", open: "(?:", close: ")" }
        };
      },
      /**
       * Create GLOB_CHARS
       */
      globChars(win32) {
        return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
      }
    };
  }
});

// node_modules/picomatch/lib/utils.js
var require_utils = __commonJS({
  "node_modules/picomatch/lib/utils.js"(exports) {
    "use strict";
    var path = __require("path");
    var win32 = process.platform === "win32";
    var {
      REGEX_BACKSLASH,
      REGEX_REMOVE_BACKSLASH,
      REGEX_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_GLOBAL
    } = require_constants();
    exports.isObject = (val) => val !== null && typeof val === "object" && !Array.isArray(val);
    exports.hasRegexChars = (str) => REGEX_SPECIAL_CHARS.test(str);
    exports.isRegexChar = (str) => str.length === 1 && exports.hasRegexChars(str);
    exports.escapeRegex = (str) => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, "\\$1");
    exports.toPosixSlashes = (str) => str.replace(REGEX_BACKSLASH, "/");
    exports.removeBackslashes = (str) => {
      return str.replace(REGEX_REMOVE_BACKSLASH, (match) => {
        return match === "\\" ? "" : match;
      });
    };
    exports.supportsLookbehinds = () => {
      const segs = process.version.slice(1).split(".").map(Number);
      if (segs.length === 3 && segs[0] >= 9 || segs[0] === 8 && segs[1] >= 10) {
        return true;
      }
      return false;
    };
    exports.isWindows = (options) => {
      if (options && typeof options.windows === "boolean") {
        return options.windows;
      }
      return win32 === true || path.sep === "\\";
    };
    exports.escapeLast = (input, char, lastIdx) => {
      const idx = input.lastIndexOf(char, lastIdx);
      if (idx === -1) return input;
      if (input[idx - 1] === "\\") return exports.escapeLast(input, char, idx - 1);
      return `${input.slice(0, idx)}\\${input.slice(idx)}`;
    };
    exports.removePrefix = (input, state = {}) => {
      let output = input;
      if (output.startsWith("./")) {
        output = output.slice(2);
        state.prefix = "./";
      }
      return output;
    };
    exports.wrapOutput = (input, state = {}, options = {}) => {
      const prepend = options.contains ? "" : "^";
      const append = options.contains ? "" : "$";
      let output = `${prepend}(?:${input})${append}`;
      if (state.negated === true) {
        output = `(?:^(?!${output}).*$)`;
      }
      return output;
    };
  }
});

// node_modules/picomatch/lib/scan.js
var require_scan = __commonJS({
  "node_modules/picomatch/lib/scan.js"(exports, module) {
    "use strict";
    var utils = require_utils();
    var {
      CHAR_ASTERISK,
      /* * */
      CHAR_AT,
      /* @ */
      CHAR_BACKWARD_SLASH,
      /* \ */
      CHAR_COMMA,
      /* , */
      CHAR_DOT,
      /* . */
      CHAR_EXCLAMATION_MARK,
      /* ! */
      CHAR_FORWARD_SLASH,
      /* / */
      CHAR_LEFT_CURLY_BRACE,
      /* { */
      CHAR_LEFT_PARENTHESES,
      /* ( */
      CHAR_LEFT_SQUARE_BRACKET,
      /* [ */
      CHAR_PLUS,
      /* + */
      CHAR_QUESTION_MARK,
      /* ? */
      CHAR_RIGHT_CURLY_BRACE,
      /* } */
      CHAR_RIGHT_PARENTHESES,
      /* ) */
      CHAR_RIGHT_SQUARE_BRACKET
      /* ] */
    } = require_constants();
    var isPathSeparator = (code2) => {
      return code2 === CHAR_FORWARD_SLASH || code2 === CHAR_BACKWARD_SLASH;
    };
    var depth = (token) => {
      if (token.isPrefix !== true) {
        token.depth = token.isGlobstar ? Infinity : 1;
      }
    };
    var scan = (input, options) => {
      const opts = options || {};
      const length = input.length - 1;
      const scanToEnd = opts.parts === true || opts.scanToEnd === true;
      const slashes = [];
      const tokens = [];
      const parts = [];
      let str = input;
      let index = -1;
      let start = 0;
      let lastIndex = 0;
      let isBrace = false;
      let isBracket = false;
      let isGlob = false;
      let isExtglob = false;
      let isGlobstar = false;
      let braceEscaped = false;
      let backslashes = false;
      let negated = false;
      let negatedExtglob = false;
      let finished = false;
      let braces = 0;
      let prev;
      let code2;
      let token = { value: "", depth: 0, isGlob: false };
      const eos = () => index >= length;
      const peek = () => str.charCodeAt(index + 1);
      const advance = () => {
        prev = code2;
        return str.charCodeAt(++index);
      };
      while (index < length) {
        code2 = advance();
        let next;
        if (code2 === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          code2 = advance();
          if (code2 === CHAR_LEFT_CURLY_BRACE) {
            braceEscaped = true;
          }
          continue;
        }
        if (braceEscaped === true || code2 === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          while (eos() !== true && (code2 = advance())) {
            if (code2 === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (code2 === CHAR_LEFT_CURLY_BRACE) {
              braces++;
              continue;
            }
            if (braceEscaped !== true && code2 === CHAR_DOT && (code2 = advance()) === CHAR_DOT) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (braceEscaped !== true && code2 === CHAR_COMMA) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (code2 === CHAR_RIGHT_CURLY_BRACE) {
              braces--;
              if (braces === 0) {
                braceEscaped = false;
                isBrace = token.isBrace = true;
                finished = true;
                break;
              }
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code2 === CHAR_FORWARD_SLASH) {
          slashes.push(index);
          tokens.push(token);
          token = { value: "", depth: 0, isGlob: false };
          if (finished === true) continue;
          if (prev === CHAR_DOT && index === start + 1) {
            start += 2;
            continue;
          }
          lastIndex = index + 1;
          continue;
        }
        if (opts.noext !== true) {
          const isExtglobChar = code2 === CHAR_PLUS || code2 === CHAR_AT || code2 === CHAR_ASTERISK || code2 === CHAR_QUESTION_MARK || code2 === CHAR_EXCLAMATION_MARK;
          if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
            isGlob = token.isGlob = true;
            isExtglob = token.isExtglob = true;
            finished = true;
            if (code2 === CHAR_EXCLAMATION_MARK && index === start) {
              negatedExtglob = true;
            }
            if (scanToEnd === true) {
              while (eos() !== true && (code2 = advance())) {
                if (code2 === CHAR_BACKWARD_SLASH) {
                  backslashes = token.backslashes = true;
                  code2 = advance();
                  continue;
                }
                if (code2 === CHAR_RIGHT_PARENTHESES) {
                  isGlob = token.isGlob = true;
                  finished = true;
                  break;
                }
              }
              continue;
            }
            break;
          }
        }
        if (code2 === CHAR_ASTERISK) {
          if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code2 === CHAR_QUESTION_MARK) {
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code2 === CHAR_LEFT_SQUARE_BRACKET) {
          while (eos() !== true && (next = advance())) {
            if (next === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (next === CHAR_RIGHT_SQUARE_BRACKET) {
              isBracket = token.isBracket = true;
              isGlob = token.isGlob = true;
              finished = true;
              break;
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (opts.nonegate !== true && code2 === CHAR_EXCLAMATION_MARK && index === start) {
          negated = token.negated = true;
          start++;
          continue;
        }
        if (opts.noparen !== true && code2 === CHAR_LEFT_PARENTHESES) {
          isGlob = token.isGlob = true;
          if (scanToEnd === true) {
            while (eos() !== true && (code2 = advance())) {
              if (code2 === CHAR_LEFT_PARENTHESES) {
                backslashes = token.backslashes = true;
                code2 = advance();
                continue;
              }
              if (code2 === CHAR_RIGHT_PARENTHESES) {
                finished = true;
                break;
              }
            }
            continue;
          }
          break;
        }
        if (isGlob === true) {
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
      }
      if (opts.noext === true) {
        isExtglob = false;
        isGlob = false;
      }
      let base = str;
      let prefix = "";
      let glob = "";
      if (start > 0) {
        prefix = str.slice(0, start);
        str = str.slice(start);
        lastIndex -= start;
      }
      if (base && isGlob === true && lastIndex > 0) {
        base = str.slice(0, lastIndex);
        glob = str.slice(lastIndex);
      } else if (isGlob === true) {
        base = "";
        glob = str;
      } else {
        base = str;
      }
      if (base && base !== "" && base !== "/" && base !== str) {
        if (isPathSeparator(base.charCodeAt(base.length - 1))) {
          base = base.slice(0, -1);
        }
      }
      if (opts.unescape === true) {
        if (glob) glob = utils.removeBackslashes(glob);
        if (base && backslashes === true) {
          base = utils.removeBackslashes(base);
        }
      }
      const state = {
        prefix,
        input,
        start,
        base,
        glob,
        isBrace,
        isBracket,
        isGlob,
        isExtglob,
        isGlobstar,
        negated,
        negatedExtglob
      };
      if (opts.tokens === true) {
        state.maxDepth = 0;
        if (!isPathSeparator(code2)) {
          tokens.push(token);
        }
        state.tokens = tokens;
      }
      if (opts.parts === true || opts.tokens === true) {
        let prevIndex;
        for (let idx = 0; idx < slashes.length; idx++) {
          const n = prevIndex ? prevIndex + 1 : start;
          const i = slashes[idx];
          const value = input.slice(n, i);
          if (opts.tokens) {
            if (idx === 0 && start !== 0) {
              tokens[idx].isPrefix = true;
              tokens[idx].value = prefix;
            } else {
              tokens[idx].value = value;
            }
            depth(tokens[idx]);
            state.maxDepth += tokens[idx].depth;
          }
          if (idx !== 0 || value !== "") {
            parts.push(value);
          }
          prevIndex = i;
        }
        if (prevIndex && prevIndex + 1 < input.length) {
          const value = input.slice(prevIndex + 1);
          parts.push(value);
          if (opts.tokens) {
            tokens[tokens.length - 1].value = value;
            depth(tokens[tokens.length - 1]);
            state.maxDepth += tokens[tokens.length - 1].depth;
          }
        }
        state.slashes = slashes;
        state.parts = parts;
      }
      return state;
    };
    module.exports = scan;
  }
});

// node_modules/picomatch/lib/parse.js
var require_parse = __commonJS({
  "node_modules/picomatch/lib/parse.js"(exports, module) {
    "use strict";
    var constants = require_constants();
    var utils = require_utils();
    var {
      MAX_LENGTH,
      POSIX_REGEX_SOURCE,
      REGEX_NON_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_BACKREF,
      REPLACEMENTS
    } = constants;
    var expandRange = (args, options) => {
      if (typeof options.expandRange === "function") {
        return options.expandRange(...args, options);
      }
      args.sort();
      const value = `[${args.join("-")}]`;
      try {
        new RegExp(value);
      } catch (ex) {
        return args.map((v) => utils.escapeRegex(v)).join("..");
      }
      return value;
    };
    var syntaxError = (type, char) => {
      return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
    };
    var splitTopLevel = (input) => {
      const parts = [];
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let value = "";
      let escaped = false;
      for (const ch of input) {
        if (escaped === true) {
          value += ch;
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          value += ch;
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          value += ch;
          continue;
        }
        if (quote === 0) {
          if (ch === "[") {
            bracket++;
          } else if (ch === "]" && bracket > 0) {
            bracket--;
          } else if (bracket === 0) {
            if (ch === "(") {
              paren++;
            } else if (ch === ")" && paren > 0) {
              paren--;
            } else if (ch === "|" && paren === 0) {
              parts.push(value);
              value = "";
              continue;
            }
          }
        }
        value += ch;
      }
      parts.push(value);
      return parts;
    };
    var isPlainBranch = (branch) => {
      let escaped = false;
      for (const ch of branch) {
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (/[?*+@!()[\]{}]/.test(ch)) {
          return false;
        }
      }
      return true;
    };
    var normalizeSimpleBranch = (branch) => {
      let value = branch.trim();
      let changed = true;
      while (changed === true) {
        changed = false;
        if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
          value = value.slice(2, -1);
          changed = true;
        }
      }
      if (!isPlainBranch(value)) {
        return;
      }
      return value.replace(/\\(.)/g, "$1");
    };
    var hasRepeatedCharPrefixOverlap = (branches) => {
      const values = branches.map(normalizeSimpleBranch).filter(Boolean);
      for (let i = 0; i < values.length; i++) {
        for (let j = i + 1; j < values.length; j++) {
          const a = values[i];
          const b = values[j];
          const char = a[0];
          if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
            continue;
          }
          if (a === b || a.startsWith(b) || b.startsWith(a)) {
            return true;
          }
        }
      }
      return false;
    };
    var parseRepeatedExtglob = (pattern, requireEnd = true) => {
      if (pattern[0] !== "+" && pattern[0] !== "*" || pattern[1] !== "(") {
        return;
      }
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let escaped = false;
      for (let i = 1; i < pattern.length; i++) {
        const ch = pattern[i];
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          continue;
        }
        if (quote === 1) {
          continue;
        }
        if (ch === "[") {
          bracket++;
          continue;
        }
        if (ch === "]" && bracket > 0) {
          bracket--;
          continue;
        }
        if (bracket > 0) {
          continue;
        }
        if (ch === "(") {
          paren++;
          continue;
        }
        if (ch === ")") {
          paren--;
          if (paren === 0) {
            if (requireEnd === true && i !== pattern.length - 1) {
              return;
            }
            return {
              type: pattern[0],
              body: pattern.slice(2, i),
              end: i
            };
          }
        }
      }
    };
    var getStarExtglobSequenceOutput = (pattern) => {
      let index = 0;
      const chars = [];
      while (index < pattern.length) {
        const match = parseRepeatedExtglob(pattern.slice(index), false);
        if (!match || match.type !== "*") {
          return;
        }
        const branches = splitTopLevel(match.body).map((branch2) => branch2.trim());
        if (branches.length !== 1) {
          return;
        }
        const branch = normalizeSimpleBranch(branches[0]);
        if (!branch || branch.length !== 1) {
          return;
        }
        chars.push(branch);
        index += match.end + 1;
      }
      if (chars.length < 1) {
        return;
      }
      const source = chars.length === 1 ? utils.escapeRegex(chars[0]) : `[${chars.map((ch) => utils.escapeRegex(ch)).join("")}]`;
      return `${source}*`;
    };
    var repeatedExtglobRecursion = (pattern) => {
      let depth = 0;
      let value = pattern.trim();
      let match = parseRepeatedExtglob(value);
      while (match) {
        depth++;
        value = match.body.trim();
        match = parseRepeatedExtglob(value);
      }
      return depth;
    };
    var analyzeRepeatedExtglob = (body, options) => {
      if (options.maxExtglobRecursion === false) {
        return { risky: false };
      }
      const max = typeof options.maxExtglobRecursion === "number" ? options.maxExtglobRecursion : constants.DEFAULT_MAX_EXTGLOB_RECURSION;
      const branches = splitTopLevel(body).map((branch) => branch.trim());
      if (branches.length > 1) {
        if (branches.some((branch) => branch === "") || branches.some((branch) => /^[*?]+$/.test(branch)) || hasRepeatedCharPrefixOverlap(branches)) {
          return { risky: true };
        }
      }
      for (const branch of branches) {
        const safeOutput = getStarExtglobSequenceOutput(branch);
        if (safeOutput) {
          return { risky: true, safeOutput };
        }
        if (repeatedExtglobRecursion(branch) > max) {
          return { risky: true };
        }
      }
      return { risky: false };
    };
    var parse = (input, options) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected a string");
      }
      input = REPLACEMENTS[input] || input;
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      let len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      const bos = { type: "bos", value: "", output: opts.prepend || "" };
      const tokens = [bos];
      const capture = opts.capture ? "" : "?:";
      const win32 = utils.isWindows(options);
      const PLATFORM_CHARS = constants.globChars(win32);
      const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);
      const {
        DOT_LITERAL,
        PLUS_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOT_SLASH,
        NO_DOTS_SLASH,
        QMARK,
        QMARK_NO_DOT,
        STAR,
        START_ANCHOR
      } = PLATFORM_CHARS;
      const globstar = (opts2) => {
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const nodot = opts.dot ? "" : NO_DOT;
      const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
      let star = opts.bash === true ? globstar(opts) : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      if (typeof opts.noext === "boolean") {
        opts.noextglob = opts.noext;
      }
      const state = {
        input,
        index: -1,
        start: 0,
        dot: opts.dot === true,
        consumed: "",
        output: "",
        prefix: "",
        backtrack: false,
        negated: false,
        brackets: 0,
        braces: 0,
        parens: 0,
        quotes: 0,
        globstar: false,
        tokens
      };
      input = utils.removePrefix(input, state);
      len = input.length;
      const extglobs = [];
      const braces = [];
      const stack = [];
      let prev = bos;
      let value;
      const eos = () => state.index === len - 1;
      const peek = state.peek = (n = 1) => input[state.index + n];
      const advance = state.advance = () => input[++state.index] || "";
      const remaining = () => input.slice(state.index + 1);
      const consume = (value2 = "", num = 0) => {
        state.consumed += value2;
        state.index += num;
      };
      const append = (token) => {
        state.output += token.output != null ? token.output : token.value;
        consume(token.value);
      };
      const negate = () => {
        let count2 = 1;
        while (peek() === "!" && (peek(2) !== "(" || peek(3) === "?")) {
          advance();
          state.start++;
          count2++;
        }
        if (count2 % 2 === 0) {
          return false;
        }
        state.negated = true;
        state.start++;
        return true;
      };
      const increment = (type) => {
        state[type]++;
        stack.push(type);
      };
      const decrement = (type) => {
        state[type]--;
        stack.pop();
      };
      const push = (tok) => {
        if (prev.type === "globstar") {
          const isBrace = state.braces > 0 && (tok.type === "comma" || tok.type === "brace");
          const isExtglob = tok.extglob === true || extglobs.length && (tok.type === "pipe" || tok.type === "paren");
          if (tok.type !== "slash" && tok.type !== "paren" && !isBrace && !isExtglob) {
            state.output = state.output.slice(0, -prev.output.length);
            prev.type = "star";
            prev.value = "*";
            prev.output = star;
            state.output += prev.output;
          }
        }
        if (extglobs.length && tok.type !== "paren") {
          extglobs[extglobs.length - 1].inner += tok.value;
        }
        if (tok.value || tok.output) append(tok);
        if (prev && prev.type === "text" && tok.type === "text") {
          prev.value += tok.value;
          prev.output = (prev.output || "") + tok.value;
          return;
        }
        tok.prev = prev;
        tokens.push(tok);
        prev = tok;
      };
      const extglobOpen = (type, value2) => {
        const token = { ...EXTGLOB_CHARS[value2], conditions: 1, inner: "" };
        token.prev = prev;
        token.parens = state.parens;
        token.output = state.output;
        token.startIndex = state.index;
        token.tokensIndex = tokens.length;
        const output = (opts.capture ? "(" : "") + token.open;
        increment("parens");
        push({ type, value: value2, output: state.output ? "" : ONE_CHAR });
        push({ type: "paren", extglob: true, value: advance(), output });
        extglobs.push(token);
      };
      const extglobClose = (token) => {
        const literal2 = input.slice(token.startIndex, state.index + 1);
        const body = input.slice(token.startIndex + 2, state.index);
        const analysis = analyzeRepeatedExtglob(body, opts);
        if ((token.type === "plus" || token.type === "star") && analysis.risky) {
          const safeOutput = analysis.safeOutput ? (token.output ? "" : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput) : void 0;
          const open = tokens[token.tokensIndex];
          open.type = "text";
          open.value = literal2;
          open.output = safeOutput || utils.escapeRegex(literal2);
          for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
            tokens[i].value = "";
            tokens[i].output = "";
            delete tokens[i].suffix;
          }
          state.output = token.output + open.output;
          state.backtrack = true;
          push({ type: "paren", extglob: true, value, output: "" });
          decrement("parens");
          return;
        }
        let output = token.close + (opts.capture ? ")" : "");
        let rest;
        if (token.type === "negate") {
          let extglobStar = star;
          if (token.inner && token.inner.length > 1 && token.inner.includes("/")) {
            extglobStar = globstar(opts);
          }
          if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
            output = token.close = `)$))${extglobStar}`;
          }
          if (token.inner.includes("*") && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
            const expression = parse(rest, { ...options, fastpaths: false }).output;
            output = token.close = `)${expression})${extglobStar})`;
          }
          if (token.prev.type === "bos") {
            state.negatedExtglob = true;
          }
        }
        push({ type: "paren", extglob: true, value, output });
        decrement("parens");
      };
      if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
        let backslashes = false;
        let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
          if (first === "\\") {
            backslashes = true;
            return m;
          }
          if (first === "?") {
            if (esc) {
              return esc + first + (rest ? QMARK.repeat(rest.length) : "");
            }
            if (index === 0) {
              return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : "");
            }
            return QMARK.repeat(chars.length);
          }
          if (first === ".") {
            return DOT_LITERAL.repeat(chars.length);
          }
          if (first === "*") {
            if (esc) {
              return esc + first + (rest ? star : "");
            }
            return star;
          }
          return esc ? m : `\\${m}`;
        });
        if (backslashes === true) {
          if (opts.unescape === true) {
            output = output.replace(/\\/g, "");
          } else {
            output = output.replace(/\\+/g, (m) => {
              return m.length % 2 === 0 ? "\\\\" : m ? "\\" : "";
            });
          }
        }
        if (output === input && opts.contains === true) {
          state.output = input;
          return state;
        }
        state.output = utils.wrapOutput(output, state, options);
        return state;
      }
      while (!eos()) {
        value = advance();
        if (value === "\0") {
          continue;
        }
        if (value === "\\") {
          const next = peek();
          if (next === "/" && opts.bash !== true) {
            continue;
          }
          if (next === "." || next === ";") {
            continue;
          }
          if (!next) {
            value += "\\";
            push({ type: "text", value });
            continue;
          }
          const match = /^\\+/.exec(remaining());
          let slashes = 0;
          if (match && match[0].length > 2) {
            slashes = match[0].length;
            state.index += slashes;
            if (slashes % 2 !== 0) {
              value += "\\";
            }
          }
          if (opts.unescape === true) {
            value = advance();
          } else {
            value += advance();
          }
          if (state.brackets === 0) {
            push({ type: "text", value });
            continue;
          }
        }
        if (state.brackets > 0 && (value !== "]" || prev.value === "[" || prev.value === "[^")) {
          if (opts.posix !== false && value === ":") {
            const inner = prev.value.slice(1);
            if (inner.includes("[")) {
              prev.posix = true;
              if (inner.includes(":")) {
                const idx = prev.value.lastIndexOf("[");
                const pre = prev.value.slice(0, idx);
                const rest2 = prev.value.slice(idx + 2);
                const posix = POSIX_REGEX_SOURCE[rest2];
                if (posix) {
                  prev.value = pre + posix;
                  state.backtrack = true;
                  advance();
                  if (!bos.output && tokens.indexOf(prev) === 1) {
                    bos.output = ONE_CHAR;
                  }
                  continue;
                }
              }
            }
          }
          if (value === "[" && peek() !== ":" || value === "-" && peek() === "]") {
            value = `\\${value}`;
          }
          if (value === "]" && (prev.value === "[" || prev.value === "[^")) {
            value = `\\${value}`;
          }
          if (opts.posix === true && value === "!" && prev.value === "[") {
            value = "^";
          }
          prev.value += value;
          append({ value });
          continue;
        }
        if (state.quotes === 1 && value !== '"') {
          value = utils.escapeRegex(value);
          prev.value += value;
          append({ value });
          continue;
        }
        if (value === '"') {
          state.quotes = state.quotes === 1 ? 0 : 1;
          if (opts.keepQuotes === true) {
            push({ type: "text", value });
          }
          continue;
        }
        if (value === "(") {
          increment("parens");
          push({ type: "paren", value });
          continue;
        }
        if (value === ")") {
          if (state.parens === 0 && opts.strictBrackets === true) {
            throw new SyntaxError(syntaxError("opening", "("));
          }
          const extglob = extglobs[extglobs.length - 1];
          if (extglob && state.parens === extglob.parens + 1) {
            extglobClose(extglobs.pop());
            continue;
          }
          push({ type: "paren", value, output: state.parens ? ")" : "\\)" });
          decrement("parens");
          continue;
        }
        if (value === "[") {
          if (opts.nobracket === true || !remaining().includes("]")) {
            if (opts.nobracket !== true && opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("closing", "]"));
            }
            value = `\\${value}`;
          } else {
            increment("brackets");
          }
          push({ type: "bracket", value });
          continue;
        }
        if (value === "]") {
          if (opts.nobracket === true || prev && prev.type === "bracket" && prev.value.length === 1) {
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          if (state.brackets === 0) {
            if (opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("opening", "["));
            }
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          decrement("brackets");
          const prevValue = prev.value.slice(1);
          if (prev.posix !== true && prevValue[0] === "^" && !prevValue.includes("/")) {
            value = `/${value}`;
          }
          prev.value += value;
          append({ value });
          if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
            continue;
          }
          const escaped = utils.escapeRegex(prev.value);
          state.output = state.output.slice(0, -prev.value.length);
          if (opts.literalBrackets === true) {
            state.output += escaped;
            prev.value = escaped;
            continue;
          }
          prev.value = `(${capture}${escaped}|${prev.value})`;
          state.output += prev.value;
          continue;
        }
        if (value === "{" && opts.nobrace !== true) {
          increment("braces");
          const open = {
            type: "brace",
            value,
            output: "(",
            outputIndex: state.output.length,
            tokensIndex: state.tokens.length
          };
          braces.push(open);
          push(open);
          continue;
        }
        if (value === "}") {
          const brace = braces[braces.length - 1];
          if (opts.nobrace === true || !brace) {
            push({ type: "text", value, output: value });
            continue;
          }
          let output = ")";
          if (brace.dots === true) {
            const arr = tokens.slice();
            const range = [];
            for (let i = arr.length - 1; i >= 0; i--) {
              tokens.pop();
              if (arr[i].type === "brace") {
                break;
              }
              if (arr[i].type !== "dots") {
                range.unshift(arr[i].value);
              }
            }
            output = expandRange(range, opts);
            state.backtrack = true;
          }
          if (brace.comma !== true && brace.dots !== true) {
            const out = state.output.slice(0, brace.outputIndex);
            const toks = state.tokens.slice(brace.tokensIndex);
            brace.value = brace.output = "\\{";
            value = output = "\\}";
            state.output = out;
            for (const t of toks) {
              state.output += t.output || t.value;
            }
          }
          push({ type: "brace", value, output });
          decrement("braces");
          braces.pop();
          continue;
        }
        if (value === "|") {
          if (extglobs.length > 0) {
            extglobs[extglobs.length - 1].conditions++;
          }
          push({ type: "text", value });
          continue;
        }
        if (value === ",") {
          let output = value;
          const brace = braces[braces.length - 1];
          if (brace && stack[stack.length - 1] === "braces") {
            brace.comma = true;
            output = "|";
          }
          push({ type: "comma", value, output });
          continue;
        }
        if (value === "/") {
          if (prev.type === "dot" && state.index === state.start + 1) {
            state.start = state.index + 1;
            state.consumed = "";
            state.output = "";
            tokens.pop();
            prev = bos;
            continue;
          }
          push({ type: "slash", value, output: SLASH_LITERAL });
          continue;
        }
        if (value === ".") {
          if (state.braces > 0 && prev.type === "dot") {
            if (prev.value === ".") prev.output = DOT_LITERAL;
            const brace = braces[braces.length - 1];
            prev.type = "dots";
            prev.output += value;
            prev.value += value;
            brace.dots = true;
            continue;
          }
          if (state.braces + state.parens === 0 && prev.type !== "bos" && prev.type !== "slash") {
            push({ type: "text", value, output: DOT_LITERAL });
            continue;
          }
          push({ type: "dot", value, output: DOT_LITERAL });
          continue;
        }
        if (value === "?") {
          const isGroup = prev && prev.value === "(";
          if (!isGroup && opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("qmark", value);
            continue;
          }
          if (prev && prev.type === "paren") {
            const next = peek();
            let output = value;
            if (next === "<" && !utils.supportsLookbehinds()) {
              throw new Error("Node.js v10 or higher is required for regex lookbehinds");
            }
            if (prev.value === "(" && !/[!=<:]/.test(next) || next === "<" && !/<([!=]|\w+>)/.test(remaining())) {
              output = `\\${value}`;
            }
            push({ type: "text", value, output });
            continue;
          }
          if (opts.dot !== true && (prev.type === "slash" || prev.type === "bos")) {
            push({ type: "qmark", value, output: QMARK_NO_DOT });
            continue;
          }
          push({ type: "qmark", value, output: QMARK });
          continue;
        }
        if (value === "!") {
          if (opts.noextglob !== true && peek() === "(") {
            if (peek(2) !== "?" || !/[!=<:]/.test(peek(3))) {
              extglobOpen("negate", value);
              continue;
            }
          }
          if (opts.nonegate !== true && state.index === 0) {
            negate();
            continue;
          }
        }
        if (value === "+") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("plus", value);
            continue;
          }
          if (prev && prev.value === "(" || opts.regex === false) {
            push({ type: "plus", value, output: PLUS_LITERAL });
            continue;
          }
          if (prev && (prev.type === "bracket" || prev.type === "paren" || prev.type === "brace") || state.parens > 0) {
            push({ type: "plus", value });
            continue;
          }
          push({ type: "plus", value: PLUS_LITERAL });
          continue;
        }
        if (value === "@") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            push({ type: "at", extglob: true, value, output: "" });
            continue;
          }
          push({ type: "text", value });
          continue;
        }
        if (value !== "*") {
          if (value === "$" || value === "^") {
            value = `\\${value}`;
          }
          const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
          if (match) {
            value += match[0];
            state.index += match[0].length;
          }
          push({ type: "text", value });
          continue;
        }
        if (prev && (prev.type === "globstar" || prev.star === true)) {
          prev.type = "star";
          prev.star = true;
          prev.value += value;
          prev.output = star;
          state.backtrack = true;
          state.globstar = true;
          consume(value);
          continue;
        }
        let rest = remaining();
        if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
          extglobOpen("star", value);
          continue;
        }
        if (prev.type === "star") {
          if (opts.noglobstar === true) {
            consume(value);
            continue;
          }
          const prior = prev.prev;
          const before = prior.prev;
          const isStart = prior.type === "slash" || prior.type === "bos";
          const afterStar = before && (before.type === "star" || before.type === "globstar");
          if (opts.bash === true && (!isStart || rest[0] && rest[0] !== "/")) {
            push({ type: "star", value, output: "" });
            continue;
          }
          const isBrace = state.braces > 0 && (prior.type === "comma" || prior.type === "brace");
          const isExtglob = extglobs.length && (prior.type === "pipe" || prior.type === "paren");
          if (!isStart && prior.type !== "paren" && !isBrace && !isExtglob) {
            push({ type: "star", value, output: "" });
            continue;
          }
          while (rest.slice(0, 3) === "/**") {
            const after = input[state.index + 4];
            if (after && after !== "/") {
              break;
            }
            rest = rest.slice(3);
            consume("/**", 3);
          }
          if (prior.type === "bos" && eos()) {
            prev.type = "globstar";
            prev.value += value;
            prev.output = globstar(opts);
            state.output = prev.output;
            state.globstar = true;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && !afterStar && eos()) {
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = globstar(opts) + (opts.strictSlashes ? ")" : "|$)");
            prev.value += value;
            state.globstar = true;
            state.output += prior.output + prev.output;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && rest[0] === "/") {
            const end = rest[1] !== void 0 ? "|$" : "";
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
            prev.value += value;
            state.output += prior.output + prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          if (prior.type === "bos" && rest[0] === "/") {
            prev.type = "globstar";
            prev.value += value;
            prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
            state.output = prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          state.output = state.output.slice(0, -prev.output.length);
          prev.type = "globstar";
          prev.output = globstar(opts);
          prev.value += value;
          state.output += prev.output;
          state.globstar = true;
          consume(value);
          continue;
        }
        const token = { type: "star", value, output: star };
        if (opts.bash === true) {
          token.output = ".*?";
          if (prev.type === "bos" || prev.type === "slash") {
            token.output = nodot + token.output;
          }
          push(token);
          continue;
        }
        if (prev && (prev.type === "bracket" || prev.type === "paren") && opts.regex === true) {
          token.output = value;
          push(token);
          continue;
        }
        if (state.index === state.start || prev.type === "slash" || prev.type === "dot") {
          if (prev.type === "dot") {
            state.output += NO_DOT_SLASH;
            prev.output += NO_DOT_SLASH;
          } else if (opts.dot === true) {
            state.output += NO_DOTS_SLASH;
            prev.output += NO_DOTS_SLASH;
          } else {
            state.output += nodot;
            prev.output += nodot;
          }
          if (peek() !== "*") {
            state.output += ONE_CHAR;
            prev.output += ONE_CHAR;
          }
        }
        push(token);
      }
      while (state.brackets > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "]"));
        state.output = utils.escapeLast(state.output, "[");
        decrement("brackets");
      }
      while (state.parens > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", ")"));
        state.output = utils.escapeLast(state.output, "(");
        decrement("parens");
      }
      while (state.braces > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "}"));
        state.output = utils.escapeLast(state.output, "{");
        decrement("braces");
      }
      if (opts.strictSlashes !== true && (prev.type === "star" || prev.type === "bracket")) {
        push({ type: "maybe_slash", value: "", output: `${SLASH_LITERAL}?` });
      }
      if (state.backtrack === true) {
        state.output = "";
        for (const token of state.tokens) {
          state.output += token.output != null ? token.output : token.value;
          if (token.suffix) {
            state.output += token.suffix;
          }
        }
      }
      return state;
    };
    parse.fastpaths = (input, options) => {
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      const len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      input = REPLACEMENTS[input] || input;
      const win32 = utils.isWindows(options);
      const {
        DOT_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOTS,
        NO_DOTS_SLASH,
        STAR,
        START_ANCHOR
      } = constants.globChars(win32);
      const nodot = opts.dot ? NO_DOTS : NO_DOT;
      const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
      const capture = opts.capture ? "" : "?:";
      const state = { negated: false, prefix: "" };
      let star = opts.bash === true ? ".*?" : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      const globstar = (opts2) => {
        if (opts2.noglobstar === true) return star;
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const create = (str) => {
        switch (str) {
          case "*":
            return `${nodot}${ONE_CHAR}${star}`;
          case ".*":
            return `${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*.*":
            return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*/*":
            return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;
          case "**":
            return nodot + globstar(opts);
          case "**/*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;
          case "**/*.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "**/.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;
          default: {
            const match = /^(.*?)\.(\w+)$/.exec(str);
            if (!match) return;
            const source2 = create(match[1]);
            if (!source2) return;
            return source2 + DOT_LITERAL + match[2];
          }
        }
      };
      const output = utils.removePrefix(input, state);
      let source = create(output);
      if (source && opts.strictSlashes !== true) {
        source += `${SLASH_LITERAL}?`;
      }
      return source;
    };
    module.exports = parse;
  }
});

// node_modules/picomatch/lib/picomatch.js
var require_picomatch = __commonJS({
  "node_modules/picomatch/lib/picomatch.js"(exports, module) {
    "use strict";
    var path = __require("path");
    var scan = require_scan();
    var parse = require_parse();
    var utils = require_utils();
    var constants = require_constants();
    var isObject = (val) => val && typeof val === "object" && !Array.isArray(val);
    var picomatch3 = (glob, options, returnState = false) => {
      if (Array.isArray(glob)) {
        const fns = glob.map((input) => picomatch3(input, options, returnState));
        const arrayMatcher = (str) => {
          for (const isMatch of fns) {
            const state2 = isMatch(str);
            if (state2) return state2;
          }
          return false;
        };
        return arrayMatcher;
      }
      const isState = isObject(glob) && glob.tokens && glob.input;
      if (glob === "" || typeof glob !== "string" && !isState) {
        throw new TypeError("Expected pattern to be a non-empty string");
      }
      const opts = options || {};
      const posix = utils.isWindows(options);
      const regex = isState ? picomatch3.compileRe(glob, options) : picomatch3.makeRe(glob, options, false, true);
      const state = regex.state;
      delete regex.state;
      let isIgnored = () => false;
      if (opts.ignore) {
        const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
        isIgnored = picomatch3(opts.ignore, ignoreOpts, returnState);
      }
      const matcher = (input, returnObject = false) => {
        const { isMatch, match, output } = picomatch3.test(input, regex, options, { glob, posix });
        const result = { glob, state, regex, posix, input, output, match, isMatch };
        if (typeof opts.onResult === "function") {
          opts.onResult(result);
        }
        if (isMatch === false) {
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (isIgnored(input)) {
          if (typeof opts.onIgnore === "function") {
            opts.onIgnore(result);
          }
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (typeof opts.onMatch === "function") {
          opts.onMatch(result);
        }
        return returnObject ? result : true;
      };
      if (returnState) {
        matcher.state = state;
      }
      return matcher;
    };
    picomatch3.test = (input, regex, options, { glob, posix } = {}) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected input to be a string");
      }
      if (input === "") {
        return { isMatch: false, output: "" };
      }
      const opts = options || {};
      const format = opts.format || (posix ? utils.toPosixSlashes : null);
      let match = input === glob;
      let output = match && format ? format(input) : input;
      if (match === false) {
        output = format ? format(input) : input;
        match = output === glob;
      }
      if (match === false || opts.capture === true) {
        if (opts.matchBase === true || opts.basename === true) {
          match = picomatch3.matchBase(input, regex, options, posix);
        } else {
          match = regex.exec(output);
        }
      }
      return { isMatch: Boolean(match), match, output };
    };
    picomatch3.matchBase = (input, glob, options, posix = utils.isWindows(options)) => {
      const regex = glob instanceof RegExp ? glob : picomatch3.makeRe(glob, options);
      return regex.test(path.basename(input));
    };
    picomatch3.isMatch = (str, patterns, options) => picomatch3(patterns, options)(str);
    picomatch3.parse = (pattern, options) => {
      if (Array.isArray(pattern)) return pattern.map((p) => picomatch3.parse(p, options));
      return parse(pattern, { ...options, fastpaths: false });
    };
    picomatch3.scan = (input, options) => scan(input, options);
    picomatch3.compileRe = (state, options, returnOutput = false, returnState = false) => {
      if (returnOutput === true) {
        return state.output;
      }
      const opts = options || {};
      const prepend = opts.contains ? "" : "^";
      const append = opts.contains ? "" : "$";
      let source = `${prepend}(?:${state.output})${append}`;
      if (state && state.negated === true) {
        source = `^(?!${source}).*$`;
      }
      const regex = picomatch3.toRegex(source, options);
      if (returnState === true) {
        regex.state = state;
      }
      return regex;
    };
    picomatch3.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
      if (!input || typeof input !== "string") {
        throw new TypeError("Expected a non-empty string");
      }
      let parsed = { negated: false, fastpaths: true };
      if (options.fastpaths !== false && (input[0] === "." || input[0] === "*")) {
        parsed.output = parse.fastpaths(input, options);
      }
      if (!parsed.output) {
        parsed = parse(input, options);
      }
      return picomatch3.compileRe(parsed, options, returnOutput, returnState);
    };
    picomatch3.toRegex = (source, options) => {
      try {
        const opts = options || {};
        return new RegExp(source, opts.flags || (opts.nocase ? "i" : ""));
      } catch (err) {
        if (options && options.debug === true) throw err;
        return /$^/;
      }
    };
    picomatch3.constants = constants;
    module.exports = picomatch3;
  }
});

// node_modules/picomatch/index.js
var require_picomatch2 = __commonJS({
  "node_modules/picomatch/index.js"(exports, module) {
    "use strict";
    module.exports = require_picomatch();
  }
});

// src/gather/attributes.ts
var import_picomatch = __toESM(require_picomatch2(), 1);
var ATTRIBUTES = { "linguist-generated": "generated", "linguist-vendored": "vendored" };
function attributeValue(token) {
  if (token.startsWith("-")) return { name: token.slice(1), value: false };
  if (token.startsWith("!")) return { name: token.slice(1), value: null };
  const eq = token.indexOf("=");
  if (eq < 0) return { name: token, value: true };
  const value = token.slice(eq + 1).toLowerCase();
  return { name: token.slice(0, eq), value: value !== "false" && value !== "0" };
}
function patternMatcher(pattern) {
  if (pattern.startsWith("!") || pattern.endsWith("/")) return null;
  const anchored = pattern.replace(/^\//, "");
  if (!anchored.includes("/")) return (0, import_picomatch.default)(anchored, { dot: true, basename: true });
  return (0, import_picomatch.default)(anchored, { dot: true });
}
function parseRules(text, dir, file) {
  const rules = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("[attr]")) return;
    const [pattern, ...tokens] = line.split(/\s+/);
    const matches = patternMatcher(pattern);
    if (!matches) return;
    const rule = { dir, matches, where: `${file}:${index + 1}` };
    for (const token of tokens) {
      const parsed = attributeValue(token);
      const key = parsed && ATTRIBUTES[parsed.name];
      if (key) rule[key] = parsed.value;
    }
    if (rule.generated !== void 0 || rule.vendored !== void 0) rules.push(rule);
  });
  return rules;
}
async function linguistAttributes(tree, reader) {
  const rules = [];
  for (const file of await nestedRulesFiles(tree, ".gitattributes", reader))
    rules.push(...parseRules(file.text, file.dir, file.path));
  return (path) => {
    const result = {};
    for (const rule of rules) {
      const relative = pathUnder(rule.dir, path);
      if (relative === null || !rule.matches(relative)) continue;
      for (const key of ["generated", "vendored"]) {
        const value = rule[key];
        if (value === void 0) continue;
        if (value === null) delete result[key];
        else result[key] = { value, where: rule.where };
      }
    }
    return result;
  };
}

// src/gather/contents.ts
var import_parse_diff2 = __toESM(require_parse_diff(), 1);
import { createHash } from "node:crypto";

// src/gather/diff.ts
var import_parse_diff = __toESM(require_parse_diff(), 1);
function parseRawNumstat(output) {
  const tokens = output.split("\0");
  const changes = [];
  let numstatIndex = 0;
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (token === "") {
      i++;
      continue;
    }
    if (token.startsWith(":")) {
      const [oldMode, newMode, oldBlob, newBlob, statusScore] = token.slice(1).split(" ");
      const status = (statusScore ?? "?").charAt(0);
      const paths = status === "R" || status === "C" ? 2 : 1;
      changes.push({
        status,
        ...paths === 2 ? { previousPath: tokens[i + 1] } : {},
        path: tokens[i + paths],
        oldMode,
        newMode,
        oldBlob,
        newBlob,
        added: null,
        deleted: null
      });
      i += 1 + paths;
      continue;
    }
    const [added, deleted, path] = token.split("	");
    const change = changes[numstatIndex++];
    if (change) {
      change.added = added === "-" ? null : Number(added);
      change.deleted = deleted === "-" ? null : Number(deleted);
    }
    i += path === "" ? 3 : 1;
  }
  return changes;
}
var PatchSplitter = class {
  constructor(onSection) {
    this.onSection = onSection;
  }
  onSection;
  pending = "";
  searchFrom = 0;
  push(text) {
    this.pending += text;
    for (; ; ) {
      const boundary = this.pending.indexOf("\ndiff --git ", Math.max(this.searchFrom, 0));
      if (boundary < 0) {
        this.searchFrom = Math.max(0, this.pending.length - 12);
        return;
      }
      const section = this.pending.slice(0, boundary + 1);
      this.pending = this.pending.slice(boundary + 1);
      this.searchFrom = 1;
      this.emit(section);
    }
  }
  end() {
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = "";
  }
  emit(section) {
    if (section.startsWith("diff --git ")) this.onSection(section);
  }
};
function linesToRanges(lines) {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const ranges = [];
  for (const line of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && line <= last.end + 1) last.end = Math.max(last.end, line);
    else ranges.push({ start: line, end: line });
  }
  return ranges;
}
function wholeFile(lineCount) {
  return lineCount > 0 ? [{ start: 1, end: lineCount }] : [];
}
var isNoNewlineMarker = (change) => change.content.startsWith("\\");
function changedRanges(file, headLineCount) {
  if (headLineCount === 0) return [];
  const lines = [];
  for (const chunk of file.chunks) {
    let lastHeadLine = chunk.newLines === 0 ? chunk.newStart : chunk.newStart - 1;
    let deletionPending = false;
    for (const change of chunk.changes) {
      if (isNoNewlineMarker(change)) continue;
      if (change.type === "add") {
        lines.push(change.ln);
        lastHeadLine = change.ln;
        deletionPending = false;
      } else if (change.type === "del") {
        deletionPending = true;
      } else {
        if (deletionPending) lines.push(lastHeadLine + 1);
        deletionPending = false;
        lastHeadLine = change.ln2;
      }
    }
    if (deletionPending) lines.push(lastHeadLine + 1);
  }
  return linesToRanges(lines.map((line) => Math.min(Math.max(line, 1), headLineCount)));
}
function rebuildPatch(section, file, head, base) {
  const firstHunk = section.search(/^@@ /m);
  if (firstHunk < 0 || file.chunks.length === 0) return section;
  const out = [section.slice(0, firstHunk).replace(/\n$/, "")];
  for (const chunk of file.chunks) {
    const header = /^@@ [^@]* @@/.exec(chunk.content);
    if (!header) return null;
    out.push(header[0]);
    for (const change of chunk.changes) {
      if (isNoNewlineMarker(change)) {
        out.push(change.content);
        continue;
      }
      const side = change.type === "del" ? base : head;
      const index = (change.type === "normal" ? change.ln2 : change.ln) - 1;
      if (side.raw[index] !== change.content.slice(1)) return null;
      out.push(change.content.charAt(0) + side.redacted[index]);
    }
  }
  return out.join("\n") + "\n";
}

// src/gather/select.ts
var import_picomatch2 = __toESM(require_picomatch2(), 1);
function globMatcher(patterns) {
  const cleaned = patterns.map((p) => p.trim().replace(/^\.\//, "")).filter((p) => p !== "");
  const byName = cleaned.filter((p) => !p.includes("/"));
  const byPath2 = cleaned.filter((p) => p.includes("/"));
  const matchName = byName.length > 0 ? (0, import_picomatch2.default)(byName, { dot: true, basename: true }) : () => false;
  const matchPath = byPath2.length > 0 ? (0, import_picomatch2.default)(byPath2, { dot: true }) : () => false;
  return (path) => matchName(path) || matchPath(path);
}
function sourceStatus(change, hasBase) {
  if (!hasBase || change.status === "A" || change.status === "C") return "added";
  return change.status === "R" ? "renamed" : "modified";
}
var samePathAtBase = (change) => change.status === "M" || change.status === "T";
function pathVerdict(change, rules) {
  const path = change.path;
  if (change.status === "D") return { reason: "deleted" };
  const byPath2 = classifyPath(path);
  if (byPath2 === "credential" || change.previousPath && isCredentialPath(change.previousPath)) return { reason: "credential" };
  if (!rules.include(path) || rules.exclude(path)) return { reason: "excluded" };
  if (rules.ignored(path)) return { reason: "ignored" };
  if (change.newMode === SUBMODULE_MODE) return { reason: "submodule" };
  if (change.newMode === SYMLINK_MODE) return { reason: "symlink" };
  const attributes = rules.attributes(path);
  if (attributes.vendored?.value) return { reason: "vendored", detail: `${attributes.vendored.where} linguist-vendored` };
  if (attributes.generated?.value) return { reason: "generated", detail: `${attributes.generated.where} linguist-generated` };
  const trustName = (verdict) => !rules.pullRequest || samePathAtBase(change) || change.status === "R" && change.previousPath !== void 0 && verdict === classifyPath(change.previousPath);
  if (byPath2 === "vendored" && attributes.vendored?.value !== false && trustName("vendored")) return { reason: "vendored" };
  if (byPath2 === "generated" && attributes.generated?.value !== false && trustName("generated")) return { reason: "generated" };
  if (byPath2 === "lockfile" || byPath2 === "binary") return { reason: byPath2 };
  if (hasMinifiedName(path) && (!rules.pullRequest || samePathAtBase(change))) return { reason: "minified" };
  if (rules.acceptsPath && !rules.acceptsPath(path, sourceStatus(change, rules.hasBase))) {
    return rules.taskName ? { reason: "not-for-task", detail: rules.taskName } : { reason: "not-for-task" };
  }
  return null;
}
function contentVerdict(change, data, rules) {
  if (isBinaryContent(data)) return { skip: { reason: "binary" } };
  const text = decodeUtf8(data);
  if (text === null) return { skip: { reason: "not-utf8" } };
  if (isMinifiedContent(change.path, text)) return { skip: { reason: "minified" } };
  const marker = rules.attributes(change.path).generated?.value === false ? null : generatedMarker(text);
  if (marker !== null && !rules.pullRequest) return { skip: { reason: "generated", detail: `marker on ${marker}` } };
  return { text, marker };
}
function markerNeedsBase(change, verdict, rules) {
  return rules.pullRequest && "text" in verdict && verdict.marker !== null && (change.status === "M" || change.status === "R");
}
function baseMarker(data) {
  if (!data || isBinaryContent(data)) return null;
  const text = decodeUtf8(data);
  return text === null ? null : generatedMarker(text);
}

// src/gather/contents.ts
var DIFF_FLAGS = ["--no-color", "--no-ext-diff", "--no-textconv", "-M", "--src-prefix=a/", "--dst-prefix=b/"];
var PATCH_FLAGS = ["--text", ...DIFF_FLAGS];
var ALWAYS_CONTEXT = ["CLAUDE.md", "AGENTS.md"];
var CONTEXT_TOTAL_BYTES = 256 * 1024;
var PATHSPEC_CHARS = 24e3;
var sha256 = (data) => createHash("sha256").update(data).digest("hex");
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}
var expectedHeader = (change) => `diff --git a/${change.previousPath ?? change.path} b/${change.path}`;
var literal = (path) => `:(literal)${path}`;
var pathspecsOf = (change) => change.previousPath ? [literal(change.previousPath), literal(change.path)] : [literal(change.path)];
async function readPatches(cwd, from, to, wanted) {
  const patches = /* @__PURE__ */ new Map();
  if (wanted.length === 0) return patches;
  const byHeader = new Map(wanted.map((change) => [expectedHeader(change), change]));
  const pathspecs = wanted.flatMap(pathspecsOf);
  const limited = pathspecs.reduce((sum, spec) => sum + spec.length + 1, 0) <= PATHSPEC_CHARS;
  const splitter = new PatchSplitter((text) => {
    const change = byHeader.get(text.slice(0, text.indexOf("\n")));
    if (change) patches.set(change, text);
  });
  const args = ["diff", "-p", "-U3", ...PATCH_FLAGS, "--diff-filter=MR", from, to, "--", ...limited ? pathspecs : []];
  await streamGit(cwd, args, (text) => splitter.push(text));
  splitter.end();
  for (const change of wanted) {
    if (patches.has(change)) continue;
    const text = await runGit(cwd, ["diff", "-p", "-U3", ...PATCH_FLAGS, from, to, "--", ...pathspecsOf(change)]);
    if (text !== "") patches.set(change, text + "\n");
  }
  return patches;
}
function splitLines2(text) {
  return text.split("\n");
}
async function buildSourceFile(item, baseBlob, patch, hasBase) {
  const { change, text } = item;
  const path = change.path;
  const head = await redactSecrets(text, path);
  const lineCount = countLines(text);
  const isChange = hasBase && (change.status === "M" || change.status === "R");
  let baseContent;
  let baseRaw;
  let redactions = head.redactions;
  const baseText = isChange && baseBlob && !isBinaryContent(baseBlob) ? decodeUtf8(baseBlob) : null;
  if (baseText !== null) {
    const base = await redactSecrets(baseText, change.previousPath ?? path);
    baseContent = base.content;
    baseRaw = baseText;
  }
  let diff = "";
  let ranges = wholeFile(lineCount);
  if (isChange && patch !== void 0) {
    const parsed = (0, import_parse_diff2.default)(patch)[0];
    if (parsed) {
      ranges = changedRanges(parsed, lineCount);
      const rebuilt = baseContent !== void 0 && baseRaw !== void 0 ? rebuildPatch(
        patch,
        parsed,
        { raw: splitLines2(text), redacted: splitLines2(head.content) },
        { raw: splitLines2(baseRaw), redacted: splitLines2(baseContent) }
      ) : null;
      if (rebuilt !== null) {
        diff = rebuilt;
      } else {
        const redactedPatch = await redactSecrets(patch, path);
        diff = redactedPatch.content;
        redactions += redactedPatch.redactions;
      }
    } else {
      ranges = [];
    }
  }
  const file = {
    path,
    content: head.content,
    contentHash: item.contentHash,
    diff,
    changedRanges: ranges,
    status: isChange ? change.status === "R" ? "renamed" : "modified" : hasBase && change.status !== "A" ? "modified" : "added",
    language: languageFor(path),
    redactions,
    bytes: item.bytes
  };
  if (baseContent !== void 0) file.baseContent = baseContent;
  if (head.spots.length > 0) file.secrets = head.spots;
  if (change.status === "R" && change.previousPath) file.previousPath = change.previousPath;
  return file;
}
async function readContextFiles(cwd, tree, patterns, maxFileBytes, reader) {
  const byPath2 = new Map(tree.map((entry) => [entry.path, entry]));
  const chosen = /* @__PURE__ */ new Set();
  const add = (entry) => {
    if (entry && !isCredentialPath(entry.path) && entry.mode !== SYMLINK_MODE) chosen.add(entry);
  };
  for (const name of ALWAYS_CONTEXT) add(byPath2.get(name));
  const cleaned = patterns.map((p) => p.trim()).filter((p) => p !== "");
  if (cleaned.length > 0) {
    const matches = globMatcher(cleaned);
    for (const entry of [...tree].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) {
      if (matches(entry.path)) add(entry);
    }
  }
  const sizes = await objectSizes(
    cwd,
    [...chosen].map((entry) => entry.sha)
  );
  const limit = maxFileBytes > 0 ? Math.min(maxFileBytes, CONTEXT_TOTAL_BYTES) : CONTEXT_TOTAL_BYTES;
  const result = [];
  let total = 0;
  for (const entry of chosen) {
    const size = sizes.get(entry.sha) ?? Infinity;
    if (size > limit || total + size > CONTEXT_TOTAL_BYTES) continue;
    const object = await reader.read(entry.sha);
    const text = object && !isBinaryContent(object.data) ? decodeUtf8(object.data) : null;
    if (text === null) continue;
    total += size;
    const { content } = await redactSecrets(text, entry.path);
    result.push({ path: entry.path, content });
  }
  return result;
}

// src/gather/gather.ts
var READ_PAGE = 256;
var REDACT_CONCURRENCY = 16;
var byPath = (a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
var weight = (change) => (change.added ?? 0) + (change.deleted ?? 0);
async function countAsText(cwd, from, to, changes) {
  const pathspecs = changes.flatMap(pathspecsOf);
  if (changes.length === 0 || pathspecs.reduce((sum, spec) => sum + spec.length + 1, 0) > PATHSPEC_CHARS) return;
  const listing = await runGit(cwd, [
    "diff",
    "--raw",
    "--numstat",
    "-z",
    "--no-abbrev",
    "--text",
    ...DIFF_FLAGS,
    from,
    to,
    "--",
    ...pathspecs
  ]);
  const counted = new Map(parseRawNumstat(listing).map((change) => [change.path, change]));
  for (const change of changes) {
    const again = counted.get(change.path);
    if (again && again.added !== null) {
      change.added = again.added;
      change.deleted = again.deleted;
    }
  }
}
async function gatherChanges(options) {
  const { cwd } = options;
  await openRepository(cwd);
  const pullRequest = options.pullRequest ?? null;
  const window = await resolveWindow(cwd, options.since, pullRequest, options.now ?? /* @__PURE__ */ new Date());
  const from = window.base ?? await emptyTree(cwd);
  const [commitCount, rawListing, trustedTree, repository] = await Promise.all([
    runGit(cwd, ["rev-list", "--count", window.base ? `${window.base}..${window.head}` : window.head]).then(Number),
    runGit(cwd, ["diff", "--raw", "--numstat", "-z", "--no-abbrev", ...DIFF_FLAGS, from, window.head, "--"]),
    listTree(cwd, window.trustedCommit),
    options.repository ? Promise.resolve(options.repository) : detectRepository(cwd)
  ]);
  const exact = options.paths ? new Set(options.paths) : null;
  const changes = parseRawNumstat(rawListing).filter((change) => !exact || exact.has(change.path));
  const reader = new GitObjectReader(cwd);
  try {
    const rules = {
      include: options.include.some((p) => p.trim() !== "") ? globMatcher(options.include) : () => true,
      exclude: globMatcher(options.exclude),
      ignored: await gitignoreMatcher(trustedTree, reader),
      attributes: await linguistAttributes(trustedTree, reader),
      acceptsPath: options.acceptsPath,
      taskName: options.taskName,
      pullRequest: pullRequest !== null,
      hasBase: window.base !== null
    };
    const skipped = [];
    const skip = (path, verdict) => {
      skipped.push({ path, ...verdict });
    };
    const candidates = [];
    for (const change of changes) {
      const verdict = pathVerdict(change, rules);
      if (verdict) skip(change.path, verdict);
      else candidates.push(change);
    }
    const sizes = await objectSizes(
      cwd,
      candidates.map((change) => change.newBlob)
    );
    const sized = candidates.filter((change) => {
      const size = sizes.get(change.newBlob);
      if (size === void 0) throw new Error(`git object ${change.newBlob} for ${change.path} is missing`);
      if (options.maxFileBytes > 0 && size > options.maxFileBytes) {
        skip(change.path, { reason: "too-large" });
        return false;
      }
      return true;
    });
    await countAsText(
      cwd,
      from,
      window.head,
      sized.filter((change) => change.added === null)
    );
    sized.sort((a, b) => weight(b) - weight(a) || byPath(a, b));
    const maxFiles = options.maxFiles > 0 ? options.maxFiles : Infinity;
    const accepted = [];
    let position = 0;
    while (position < sized.length && accepted.length < maxFiles) {
      const page = sized.slice(position, position + READ_PAGE);
      position += page.length;
      const blobs = await Promise.all(page.map((change) => reader.read(change.newBlob)));
      const verdicts = page.map((change, index) => {
        const blob = blobs[index];
        if (!blob) throw new Error(`git object ${change.newBlob} for ${change.path} is missing`);
        return contentVerdict(change, blob.data, rules);
      });
      const bases = await Promise.all(
        page.map(
          (change, index) => markerNeedsBase(change, verdicts[index], rules) ? reader.read(change.oldBlob) : Promise.resolve(null)
        )
      );
      page.forEach((change, index) => {
        if (accepted.length >= maxFiles) return skip(change.path, { reason: "max-files" });
        const verdict = verdicts[index];
        if ("skip" in verdict) return skip(change.path, verdict.skip);
        const base = bases[index];
        if (base && baseMarker(base.data) !== null) {
          return skip(change.path, { reason: "generated", detail: `marker on ${verdict.marker}, as in the base version` });
        }
        const data = blobs[index].data;
        const contentHash = sha256(data);
        if (options.alreadyReviewed?.(change.path, contentHash)) return skip(change.path, { reason: "already-reviewed" });
        accepted.push({ change, text: verdict.text, bytes: data.length, contentHash });
      });
    }
    for (const change of sized.slice(position)) skip(change.path, { reason: "max-files" });
    const needsBase = accepted.filter(
      (item) => window.base !== null && (item.change.status === "M" || item.change.status === "R")
    );
    const baseSizes = await objectSizes(
      cwd,
      needsBase.map((item) => item.change.oldBlob)
    );
    const baseBlobs = /* @__PURE__ */ new Map();
    const [, patches] = await Promise.all([
      Promise.all(
        needsBase.map(async (item) => {
          const size = baseSizes.get(item.change.oldBlob) ?? Infinity;
          if (options.maxFileBytes > 0 && size > options.maxFileBytes) return;
          const object = await reader.read(item.change.oldBlob);
          if (object) baseBlobs.set(item.change, object.data);
        })
      ),
      window.base ? readPatches(
        cwd,
        from,
        window.head,
        needsBase.map((item) => item.change)
      ) : Promise.resolve(/* @__PURE__ */ new Map())
    ]);
    const files = await mapLimit(
      accepted,
      REDACT_CONCURRENCY,
      (item) => buildSourceFile(item, baseBlobs.get(item.change) ?? null, patches.get(item.change), window.base !== null)
    );
    files.sort(byPath);
    const contextFiles = await readContextFiles(cwd, trustedTree, options.contextFiles, options.maxFileBytes, reader);
    return {
      repository,
      headSha: window.head,
      baseSha: window.base,
      ref: window.ref,
      pullRequest,
      files,
      skipped,
      contextFiles,
      window: window.describe(commitCount)
    };
  } finally {
    reader.close();
  }
}

// src/gather/instructions.ts
var PATH_MAX_CHARS = 300;
function looksLikePath(value) {
  return !/\s/.test(value) && (/[/\\]/.test(value) || /\.[A-Za-z0-9]{1,8}$/.test(value));
}
async function readInstructions(value, cwd, trustedCommit) {
  const text = value.trim();
  if (!text) return "";
  if (text.includes("\n") || text.length > PATH_MAX_CHARS) return (await redactSecrets(text, "instructions")).content;
  const at = `at commit ${trustedCommit.slice(0, 7)}`;
  const entry = await entryAt(cwd, trustedCommit, text.replace(/^\.\//, ""));
  const refuse = (why) => {
    throw new ConfigError(`instructions: ${text} ${why}`);
  };
  switch (entry.kind) {
    case "file": {
      if (isCredentialPath(normaliseRelativePath(text) ?? text))
        return refuse("is a credential file by its name; it is never read");
      const content = isBinaryContent(entry.data) ? null : decodeUtf8(entry.data);
      if (content === null) return refuse(`${at} is not UTF-8 text; point instructions at a text file`);
      return (await redactSecrets(content, text)).content;
    }
    case "symlink":
      return refuse(
        `is a symbolic link ${at}; instructions are read only from a regular file committed in the repository (a link could point at secrets)`
      );
    case "submodule":
      return refuse(`is a submodule ${at}; point instructions at a file of this repository`);
    case "directory":
      return refuse(`is a directory ${at}; point instructions at a file`);
    case "outside":
      if (looksLikePath(text)) return refuse("is outside the repository; give a path inside it, or the text itself");
      break;
    case "missing":
      if (looksLikePath(text)) {
        return refuse(
          `is not a file ${at} (instructions are read from the trusted commit: a pull request's base, else the reviewed commit); commit it there, or give the text itself`
        );
      }
      break;
  }
  return (await redactSecrets(text, "instructions")).content;
}

// src/tasks/redaction-findings.ts
var REDACTION_FINDING_TASKS = /* @__PURE__ */ new Set(["code-review", "security-scan"]);
var REDACTION_CWE = "CWE-798";
var REDACTION_CATEGORY = "hardcoded-secret";
var SAME_WEAKNESS_CWES = /* @__PURE__ */ new Set(["CWE-798", "CWE-259", "CWE-321", "CWE-547"]);
var SAME_WEAKNESS_CATEGORY = /hard-?coded|(^|-)secrets?(-|$)|credential|api-key|(^|-)token(-|$)/;
var RULE_LABELS = {
  AWSAccessKeyID: "AWS access key ID",
  AWSSecretAccessKey: "AWS secret access key",
  AWSAccountID: "AWS account ID",
  aws: "AWS credential",
  github: "GitHub token",
  gcp: "Google Cloud service account key",
  "google-api-key": "Google API key",
  privatekey: "private key",
  "private-key": "private key",
  slack: "Slack token",
  npm: "npm token",
  "npmrc-token": "npm registry token",
  openai: "OpenAI API key",
  anthropic: "Anthropic API key",
  sendgrid: "SendGrid API key",
  shopify: "Shopify token",
  linear: "Linear API key",
  "1password": "1Password secret",
  basicauth: "password in a URL (basic auth)",
  "connection-string-password": "password in a connection string",
  "command-line-password": "password on a command line",
  "authorization-header": "credential in an Authorization header",
  "password-assignment": "password in code",
  "secret-assignment": "secret under a secret-like name",
  jwt: "JSON Web Token",
  "azure-key": "Azure storage key or SAS signature",
  twilio: "Twilio credential",
  mailgun: "Mailgun API key",
  telegram: "Telegram bot token",
  "sentry-dsn": "Sentry DSN key",
  huggingface: "Hugging Face token"
};
var RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.@/-]{0,79}$/;
function secretLabel(spot) {
  return spot.check && RULE_LABELS[spot.check] || RULE_LABELS[spot.rule] || spot.rule;
}
function recordRedactions(task, requests, files) {
  if (!REDACTION_FINDING_TASKS.has(task)) return;
  const byPath2 = new Map(files.filter((file) => file.secrets?.length).map((file) => [file.path, file.secrets]));
  if (byPath2.size === 0) return;
  const holders = /* @__PURE__ */ new Map();
  for (const request of requests) {
    for (const path of request.record.paths) {
      if (!byPath2.has(path)) continue;
      const list = holders.get(path);
      if (list) list.push(request);
      else holders.set(path, [request]);
    }
  }
  for (const [path, requestsOfPath] of holders) {
    for (const spot of byPath2.get(path)) {
      const holder = requestsOfPath.find(
        (request) => (request.record.lineRanges[path] ?? []).some((range) => range.start <= spot.line && spot.line <= range.end)
      ) ?? requestsOfPath[0];
      (holder.record.secrets ??= []).push({ path, ...spot });
    }
  }
}
function validSpot(spot, paths) {
  if (!spot || typeof spot !== "object") return false;
  const { path, line, endLine, rule, check } = spot;
  return typeof path === "string" && paths.includes(path) && Number.isInteger(line) && line >= 1 && (endLine === void 0 || Number.isInteger(endLine) && endLine >= line) && typeof rule === "string" && RULE_ID.test(rule) && (check === void 0 || typeof check === "string" && RULE_ID.test(check));
}
function rawFindingOf(spots, endLine) {
  const first = spots[0];
  const labels = [...new Set(spots.map(secretLabel))];
  const rules = [...new Set(spots.map((spot) => spot.check ? `${spot.rule} (${spot.check})` : spot.rule))];
  const where = { path: first.path, category: REDACTION_CATEGORY, cwe: REDACTION_CWE };
  const fixture = FALSE_POSITIVE_CLASSES["test-code"].matches(where) || FALSE_POSITIVE_CLASSES.documentation.matches(where);
  const what = labels.join(", ");
  return {
    start_line: first.line,
    end_line: endLine,
    trigger: "anyone who can read the repository or its history \u2192 copies the committed credential \u2192 uses it",
    confidence: fixture ? "likely" : "certain",
    severity: "high",
    category: REDACTION_CATEGORY,
    title: `Hard-coded credential: ${what}`,
    explanation: `overnight's secret scanner (${rules.length > 1 ? "rules" : "rule"} ${rules.join(", ")}) found ${labels.length > 1 ? "credentials" : "a credential"} committed here: ${what}. The value was redacted before anything was sent and is never shown in a report. Whoever can read the repository, a clone or its history has it: treat it as exposed.`,
    fix_explanation: "Revoke and rotate the credential, remove it from the code, and read it from the environment or a secret manager. Removing it from the history does not undo the exposure.",
    replacement: null,
    cwe: REDACTION_CWE
  };
}
function redactionFindings(task, record, files, customId) {
  if (!REDACTION_FINDING_TASKS.has(task) || !Array.isArray(record.secrets)) return [];
  const sent = sentFiles({ customId, record, files });
  const byLines = /* @__PURE__ */ new Map();
  for (const spot of record.secrets) {
    if (!validSpot(spot, record.paths)) continue;
    const key = JSON.stringify([spot.path, spot.line, spot.endLine ?? spot.line]);
    const list = byLines.get(key);
    if (list) list.push(spot);
    else byLines.set(key, [spot]);
  }
  const findings = [];
  const lines = /* @__PURE__ */ new Map();
  for (const spots of byLines.values()) {
    const first = spots[0];
    const file = sent.get(first.path);
    if (!file || first.line > file.totalLines) continue;
    const range = { start: first.line, end: Math.min(first.endLine ?? first.line, file.totalLines) };
    const finding = makeFinding(task, file, rawFindingOf(spots, range.end), customId, (cwe) => cwe, range);
    if (!finding) continue;
    finding.scanner = true;
    if (!lines.has(first.path)) lines.set(first.path, splitLines(file.file.content));
    const fileLines = lines.get(first.path);
    const repeat = range.start === range.end ? earlierTwins(fileLines, first.line) : 0;
    if (repeat > 0) {
      const code2 = twinCode(fileLines[first.line - 1], repeat + 1);
      finding.fingerprint = fingerprint({ task, path: first.path, category: finding.category, cwe: finding.cwe, code: code2 });
    }
    findings.push(finding);
  }
  return findings;
}
function earlierTwins(lines, line) {
  const text = normaliseCode(lines[line - 1] ?? "");
  if (!text) return 0;
  let count2 = 0;
  for (let index = 0; index < line - 1; index++) if (normaliseCode(lines[index]) === text) count2++;
  return count2;
}
function sameSecret(model, redaction) {
  if (model.path !== redaction.path || model.startLine > redaction.endLine || model.endLine < redaction.startLine) return false;
  return model.cwe !== null && SAME_WEAKNESS_CWES.has(model.cwe) || SAME_WEAKNESS_CATEGORY.test(model.category);
}
function addRedactionFindings(output, task, record, files, customId) {
  if (output.kind !== "findings") return 0;
  const redactions = redactionFindings(task, record, files, customId);
  if (redactions.length === 0) return 0;
  const rank = (finding) => SEVERITIES.indexOf(finding.severity);
  const kept = [];
  for (const model of output.findings) {
    const same = redactions.find((redaction) => sameSecret(model, redaction));
    if (!same) kept.push(model);
    else if (rank(model) < rank(same)) same.severity = model.severity;
  }
  output.findings = [...redactions, ...kept];
  return redactions.length;
}

// src/cost/estimate.ts
var RUNS_PER_MONTH = 30;
function nightlyMonthUsd(batchUsd, windowDays2) {
  if (windowDays2 === null || !Number.isFinite(windowDays2) || windowDays2 <= 0) return null;
  return batchUsd / windowDays2 * RUNS_PER_MONTH;
}
var PER_MILLION = 1e6;
function planCost(requests, price, options) {
  if (requests.length === 0) return 0;
  const prefix = Math.max(
    0,
    requests.reduce((least, r) => Math.min(least, r.inputTokens), options.prefixTokens)
  );
  let ownInput = 0;
  let output = 0;
  for (const request of requests) {
    ownInput += request.inputTokens - prefix;
    output += request.outputTokens;
  }
  const hitRate = options.expectedHitRate;
  const prefixUsd = expectedPrefixCost(prefix, requests.length, price, {
    cached: options.cached,
    ...hitRate === void 0 ? {} : { hitRate }
  });
  const standard = prefixUsd + (ownInput * price.input + output * price.output) / PER_MILLION;
  return standard * (options.batch === false ? 1 : BATCH_DISCOUNT);
}
function defaultComparison() {
  const prices = {};
  for (const model of COMPARISON_MODELS) prices[model] = resolvePrice(model);
  return prices;
}
function estimatePlan(input) {
  const { model, price, requests, prefixTokens, cached } = input;
  const hitRate = input.expectedHitRate;
  const costOn = (p, options) => planCost(requests, p, { prefixTokens, ...options, ...hitRate === void 0 ? {} : { expectedHitRate: hitRate } });
  const family = priceFamily(model);
  const otherModels = Object.entries(input.otherPrices ?? defaultComparison()).filter(([other]) => priceFamily(other) !== family).map(([other, p]) => ({ model: other, batchUsd: costOn(p, { cached, batch: true }) }));
  const batchUsd = price ? costOn(price, { cached, batch: true }) : 0;
  return {
    model,
    tokenSource: input.tokenSource,
    files: input.files,
    requests: requests.length,
    inputTokens: requests.reduce((sum, r) => sum + r.inputTokens, 0),
    outputTokens: requests.reduce((sum, r) => sum + r.outputTokens, 0),
    prefixTokens,
    cached,
    batchUsd,
    interactiveUsd: price ? costOn(price, { cached: false, batch: false }) : 0,
    otherModels,
    windowDays: input.windowDays === void 0 ? 1 : input.windowDays,
    monthlyUsd: nightlyMonthUsd(batchUsd, input.windowDays === void 0 ? 1 : input.windowDays),
    dropped: [...input.dropped ?? []],
    priced: price !== void 0
  };
}
var count = (n) => Math.round(n).toLocaleString("en-US");
var code = (text) => `\`${text.replace(/`/g, "'").replace(/[\r\n]+/g, " ")}\``;
function windowLength(days) {
  if (days < 1) return `${Math.max(1, Math.round(days * 24))}-hour`;
  const tenths = Math.round(days * 10) / 10;
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)}-day`;
}
function nightlyLabel(estimate) {
  if (estimate.monthlyUsd === null || estimate.monthlyUsd === void 0) return null;
  const days = estimate.windowDays ?? 1;
  const label = `Nightly for ${RUNS_PER_MONTH} days`;
  return days === 1 ? label : `${label} (this ${windowLength(days)} window scaled to one night)`;
}
function renderEstimate(estimate) {
  const lines = [];
  const source = estimate.tokenSource === "count_tokens" ? "counted with count_tokens" : "estimated offline";
  lines.push(
    `**Cost estimate** \xB7 ${code(estimate.model)} \xB7 ${count(estimate.requests)} request${estimate.requests === 1 ? "" : "s"} over ${count(estimate.files)} file${estimate.files === 1 ? "" : "s"} \xB7 tokens ${source} \xB7 list prices of ${PRICES_CHECKED}`,
    ""
  );
  const usd = (value) => estimate.priced ? formatUsd(value) : "unknown";
  lines.push(
    "| | cost |",
    "|---|---:|",
    `| Batch (this run) | ${usd(estimate.batchUsd)} |`,
    `| Interactive, no caching | ${usd(estimate.interactiveUsd)} |`
  );
  if (estimate.priced && estimate.interactiveUsd > 0) {
    const saved = estimate.interactiveUsd - estimate.batchUsd;
    lines.push(
      `| Saved by batching${estimate.cached ? " and caching" : ""} | ${formatUsd(saved)} (${Math.round(saved / estimate.interactiveUsd * 100)}%) |`
    );
  }
  const nightly = nightlyLabel(estimate);
  if (nightly) lines.push(`| ${nightly} | ${usd(estimate.monthlyUsd ?? 0)} |`);
  for (const other of estimate.otherModels) lines.push(`| Batch on ${code(other.model)} | ${formatUsd(other.batchUsd)} |`);
  lines.push("");
  lines.push(
    `Tokens: ${count(estimate.inputTokens)} input, ${count(estimate.outputTokens)} output (expected). Shared prefix: ${count(estimate.prefixTokens)} tokens, ${estimate.cached ? "cached (1h)" : "not cached"}.`
  );
  if (!estimate.priced) {
    lines.push("", `No price is known for ${code(estimate.model)}: add it with \`price-overrides\` to get a cost.`);
  }
  if (estimate.dropped.length > 0) {
    const files = new Set(estimate.dropped.flatMap((item) => item.paths)).size;
    lines.push(
      "",
      `**Dropped to fit the budget**: ${count(estimate.dropped.length)} request${estimate.dropped.length === 1 ? "" : "s"} (${count(files)} file${files === 1 ? "" : "s"}), listed under skipped files as over max-cost-usd.`
    );
  }
  return lines.join("\n");
}

// src/reports/plan.ts
var LARGEST_SHOWN = 5;
var redactionCount = (input) => input.redacted.reduce((n, file) => n + file.count, 0);
var sentPaths = (input) => new Set(input.requests.flatMap((request) => request.paths));
function unsent(input) {
  const sent = sentPaths(input);
  return input.skipped.filter((entry) => !sent.has(entry.path));
}
function changedCount(input) {
  return (/* @__PURE__ */ new Set([...sentPaths(input), ...unsent(input).map((entry) => entry.path)])).size;
}
function itemLabel(item) {
  const first = item.paths[0] ?? "(no file)";
  const more = item.paths.length > 1 ? ` +${item.paths.length - 1} more` : "";
  return `${first}${more}${item.part ? ` (part ${item.part})` : ""}`;
}
var bySize = (items) => [...items].sort((a, b) => b.inputTokens - a.inputTokens);
function fateLine(input) {
  const skipped = new Set(unsent(input).map((entry) => entry.path)).size;
  return `${plural(changedCount(input), "changed file")}: ${formatCount(sentPaths(input).size)} sent in ${plural(input.requests.length, "request")}, ${formatCount(skipped)} skipped`;
}
var BATCH_SERVICE = {
  anthropic: "the Batches API",
  bedrock: "Bedrock batch inference",
  vertex: "Vertex AI batch prediction"
};
function costLine(estimate) {
  if (!estimate.priced) return `Cost: unknown (no price for ${estimate.model}; add it with price-overrides)`;
  const parts = [
    `Cost: ${formatUsd(estimate.batchUsd)} with ${BATCH_SERVICE[estimate.provider ?? "anthropic"]} (interactive, no caching: ${formatUsd(estimate.interactiveUsd)})`
  ];
  const nightly = nightlyLabel(estimate);
  if (nightly && estimate.monthlyUsd !== null) {
    parts.push(`${formatUsd(estimate.monthlyUsd)} for a month of nightly runs${nightly.replace(/^Nightly for \d+ days/, "")}`);
  }
  return parts.join("; ");
}
function renderPlanLines(input, fullPlanAt) {
  const lines = [];
  const verb = input.dryRun ? "dry run, nothing sent" : "submit";
  lines.push(
    plainLine(
      `overnight ${input.task} (${verb}): ${input.repository} at ${input.headSha.slice(0, 12)}, ${input.window} \u2192 ${input.model}`,
      300
    )
  );
  lines.push(fateLine(input));
  const counts = skippedCounts(unsent(input));
  if (counts) lines.push(`  skipped: ${counts}`);
  const largest = bySize(input.requests).slice(0, LARGEST_SHOWN);
  if (largest.length > 0) {
    lines.push("Largest requests (estimated input tokens):");
    const width = formatCount(largest[0].inputTokens).length;
    for (const item of largest) {
      lines.push(`  ${formatCount(item.inputTokens).padStart(width)} tokens  ${plainLine(itemLabel(item), 160)}`);
    }
  }
  lines.push(`Caching: ${input.estimate.cached ? "cached" : "not cached"}: ${plainLine(input.caching, 200)}`);
  const redactions = redactionCount(input);
  lines.push(
    `Redacted: ${redactions > 0 ? `${plural(redactions, "secret-looking string")} in ${plural(input.redacted.length, "file")} (replaced before sending)` : "nothing"}`
  );
  lines.push(costLine(input.estimate));
  if (input.estimate.otherModels.length > 0 && input.estimate.priced) {
    lines.push(
      `  on other models (batch): ${input.estimate.otherModels.map((other) => `${other.model} ${formatUsd(other.batchUsd)}`).join(", ")}`
    );
  }
  for (const note of input.notes ?? []) lines.push(plainLine(note, 300));
  if (fullPlanAt) lines.push(`Full plan (every file and why): ${plainLine(fullPlanAt, 500)}`);
  return lines;
}
function renderPlanMarkdown(input) {
  const sections = [];
  const verb = input.dryRun ? "dry run, nothing submitted" : "submitted";
  sections.push(`## overnight ${input.task}: ${plural(input.requests.length, "request")} ${verb}`);
  const lines = [
    `${plural(sentPaths(input).size, "file")} of ${codeSpan(input.repository)} at ${codeSpan(input.headSha.slice(0, 12))}${input.window ? ` (${input.window.replace(/[<>@`]/g, "")})` : ""} \u2192 ${plural(input.requests.length, "request")} to ${codeSpan(input.model)}.`,
    `${fateLine(input)}.`,
    `Caching: ${input.estimate.cached ? "cached" : "not cached"}: ${input.caching.replace(/[<>@`]/g, "")}.`
  ];
  const redactions = redactionCount(input);
  if (redactions > 0) lines.push(`${plural(redactions, "secret-looking string")} redacted before sending.`);
  if (!input.dryRun) {
    lines.push(
      input.batches.length > 0 ? `Results are collected by a later run (usually within the hour, at most 24 hours).` : "No batch was submitted."
    );
  }
  for (const note of input.notes ?? []) lines.push(note);
  sections.push(lines.join("  \n"));
  if (input.batches.length > 0) {
    sections.push(
      [
        "| Batch | Requests |",
        "|---|---:|",
        ...input.batches.map((batch) => `| ${codeSpan(batch.id)} | ${formatCount(batch.requestCount)} |`)
      ].join("\n")
    );
  }
  sections.push(`### Cost estimate

${renderEstimate(input.estimate).trim()}`);
  if (input.requests.length > 0) {
    const rows = bySize(input.requests).map(
      (item) => `| ${item.paths.map(codeCell).join(", ")} | ${item.part ?? ""} | ${formatCount(item.inputTokens)} |`
    );
    sections.push(
      `### Requests (${formatCount(input.requests.length)}), largest first

| Files | Part | Input tokens (estimated) |
|---|---|---:|
${rows.join("\n")}`
    );
  }
  if (input.redacted.length > 0) {
    const rows = [...input.redacted].sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : 1)).map((file) => `- ${codeSpan(file.path)} (${formatCount(file.count)})`);
    sections.push(`### Redacted before sending (${plural(input.redacted.length, "file")})

${rows.join("\n")}`);
  }
  const skipped = unsent(input);
  if (skipped.length > 0) {
    sections.push(
      `### Skipped files (${formatCount(new Set(skipped.map((e) => e.path)).size)})

${skippedLines(skipped).join("\n")}`
    );
  }
  return capBytes(`${sections.join("\n\n")}
`, JOB_SUMMARY_LIMIT_BYTES);
}

// src/engine/calibrate.ts
var CALIBRATION_SAMPLE = 8;
async function calibrateInputTokens(requests, count2, sampleSize = CALIBRATION_SAMPLE) {
  if (requests.length === 0) return { ratio: 1, sampled: 0 };
  const step = Math.max(1, Math.floor(requests.length / sampleSize));
  const sample = requests.filter((_, i) => i % step === 0).slice(0, sampleSize);
  let actual = 0;
  let heuristic = 0;
  for (const request of sample) {
    actual += await count2(request.params);
    heuristic += request.record.estimatedInputTokens;
  }
  const ratio = heuristic > 0 ? actual / heuristic : 1;
  for (const request of requests) {
    request.record.estimatedInputTokens = Math.max(1, Math.round(request.record.estimatedInputTokens * ratio));
  }
  return { ratio, sampled: sample.length };
}
async function countPrefixTokens(model, system, count2) {
  const probe = { model, max_tokens: 1, messages: [{ role: "user", content: "Hello" }] };
  const withPrefix = await count2({ ...probe, system });
  const alone = await count2(probe);
  return Math.max(0, withPrefix - alone);
}

// src/engine/window-days.ts
var DAY_MS = 864e5;
async function windowDays(cwd, since, changeSet) {
  if (changeSet.pullRequest || changeSet.baseSha === null) return null;
  if (since.kind === "duration") return since.ms / DAY_MS;
  const out = await runGit(cwd, ["show", "-s", "--format=%ct", changeSet.baseSha, changeSet.headSha, "--"]).catch(() => "");
  const [base, head] = out.split("\n").map(Number);
  if (base === void 0 || head === void 0 || !Number.isFinite(base) || !Number.isFinite(head)) return null;
  return Math.max(1, (head - base) * 1e3 / DAY_MS);
}

// src/engine/spending.ts
var Spending = class {
  constructor(config, deps) {
    this.config = config;
    this.deps = deps;
  }
  config;
  deps;
  spent = null;
  /** USD the month has committed so far (0 without a ledger). */
  monthSpent() {
    this.spent ??= this.deps.ledger ? this.deps.ledger.read().then((ledger) => spentIn(ledger, this.deps.now())) : Promise.resolve(0);
    return this.spent;
  }
  /**
   * USD the month may still commit; Infinity without a monthly budget. `monthlyUsd`: the budget that
   * applies (default this run's monthly-budget-usd; a collect passes the one its submission was made under).
   */
  async monthRoom(monthlyUsd = this.config.monthlyBudgetUsd) {
    if (!(monthlyUsd > 0)) return Number.POSITIVE_INFINITY;
    return Math.max(0, monthlyUsd - await this.monthSpent());
  }
  /**
   * Records a commitment in the ledger, when a monthly budget applies (`monthlyUsd`, as for monthRoom):
   * runs without one leave the ledger alone (no artifact a night for nothing). Called after the money
   * is committed: a ledger that cannot be saved is a warning, never a failure of what was paid for.
   */
  async commit(usd, what, submission, monthlyUsd = this.config.monthlyBudgetUsd) {
    if (!(usd > 0) || !(monthlyUsd > 0)) return;
    const before = await this.monthSpent();
    this.spent = Promise.resolve(before + usd);
    const ledger = this.deps.ledger;
    if (!ledger) return;
    try {
      const entry = { at: this.deps.now().toISOString(), usd, what, ...submission ? { submission } : {} };
      const saved = await ledger.add(entry);
      this.spent = Promise.resolve(spentIn(saved, this.deps.now()));
    } catch (error) {
      this.deps.log.warning(`${ledger.describe()}: could not record ${formatUsd(usd)} (${error.message})`);
    }
  }
  /**
   * Stops a paid run when the month's budget is spent: one line (and the same note in the job summary
   * or plan file), exit code 1. A dry run only says it.
   */
  async refuseWhenMonthSpent(dryRun) {
    const budget = this.config.monthlyBudgetUsd;
    if (!(budget > 0)) return;
    const spent = await this.monthSpent();
    if (spent < budget) return;
    const month = monthKey(this.deps.now());
    const line = `monthly-budget-usd: ${formatUsd(spent)} of ${formatUsd(budget)} already committed in ${month} (${this.deps.ledger?.describe() ?? "ledger"}); nothing submitted: raise monthly-budget-usd or wait until ${nextMonth(month)}`;
    if (dryRun) {
      this.deps.log.warning(`${line} (dry run: planned anyway)`);
      return;
    }
    await this.deps.jobSummary(`### overnight: monthly budget reached

${line}
`);
    throw new ConfigError(line);
  }
};
var perRun = /* @__PURE__ */ new WeakMap();
function spendingOf(config, deps) {
  let spending = perRun.get(deps);
  if (!spending) {
    spending = new Spending(config, deps);
    perRun.set(deps, spending);
  }
  return spending;
}

// src/cost/budget.ts
function countRangeLines(ranges) {
  const sorted = [...ranges].filter((r) => r.end >= r.start).sort((a, b) => a.start - b.start);
  let lines = 0;
  let coveredTo = 0;
  for (const range of sorted) {
    const start = Math.max(range.start, coveredTo + 1);
    if (range.end >= start) lines += range.end - start + 1;
    coveredTo = Math.max(coveredTo, range.end);
  }
  return lines;
}
var firstPath = (paths) => [...paths].sort()[0] ?? "";
var compareText = (a, b) => a < b ? -1 : a > b ? 1 : 0;
function requestLines(request) {
  return Object.values(request.record.lineRanges).reduce((sum, ranges) => sum + countRangeLines(ranges), 0);
}
function applyBudget(requests, estimateFn, budgetUsd, options = {}) {
  const linesOf = options.changedLines ?? requestLines;
  const totalUsd = estimateFn([...requests]);
  if (!(budgetUsd > 0) || totalUsd <= budgetUsd) {
    return { kept: [...requests], dropped: [], totalUsd, keptUsd: totalUsd, refusal: null };
  }
  const ranked = requests.map((request, index) => {
    const aloneUsd = estimateFn([request]);
    const lines = linesOf(request);
    const value = lines > 0 ? lines / Math.max(aloneUsd, Number.MIN_VALUE) : 0;
    return { request, index, aloneUsd, value, path: firstPath(request.record.paths) };
  }).sort((a, b) => b.value - a.value || compareText(a.path, b.path) || compareText(a.request.customId, b.request.customId));
  const fits = (set) => set.length === 0 || estimateFn(set) <= budgetUsd;
  let lo = 0;
  let hi = ranked.length;
  while (hi - lo > 1) {
    const mid = lo + hi >> 1;
    if (fits(ranked.slice(0, mid).map((r) => r.request))) lo = mid;
    else hi = mid;
  }
  const keptSet = new Set(ranked.slice(0, lo));
  const kept = ranked.slice(0, lo).map((r) => r.request);
  for (const candidate of ranked.slice(lo + 1)) {
    if (fits([...kept, candidate.request])) {
      kept.push(candidate.request);
      keptSet.add(candidate);
    }
  }
  const budget = formatUsd(budgetUsd);
  const reached = `budget ${budget} reached (estimated ${formatUsd(totalUsd)} for all ${requests.length} requests)`;
  const dropped = ranked.filter((r) => !keptSet.has(r)).map((r) => ({
    customId: r.request.customId,
    paths: [...r.request.record.paths],
    reason: r.aloneUsd > budgetUsd ? `estimated ${formatUsd(r.aloneUsd)} on its own, more than the budget ${budget}` : reached
  }));
  const inOrder = [...keptSet].sort((a, b) => a.index - b.index).map((r) => r.request);
  let refusal = null;
  if (inOrder.length === 0) {
    const cheapest = ranked.reduce((best, r) => r.aloneUsd < best.aloneUsd ? r : best);
    refusal = `max-cost-usd ${budget} is below the cheapest request (estimated ${formatUsd(cheapest.aloneUsd)} for ${cheapest.path}): raise max-cost-usd or narrow the files (include, exclude, max-files)`;
  }
  return { kept: inOrder, dropped, totalUsd, keptUsd: inOrder.length === 0 ? 0 : estimateFn(inOrder), refusal };
}
function recordsCostUsd(records, pricing) {
  return planCost(
    records.map((record, index) => ({
      customId: String(index),
      paths: [],
      inputTokens: record.estimatedInputTokens,
      outputTokens: pricing.strict ? pricing.maxOutputTokens : record.estimatedOutputTokens
    })),
    pricing.price,
    { prefixTokens: 0, cached: false, batch: pricing.batch }
  );
}
function nightRoomUsd(budget, runMaxCostUsd, monthRoomUsd) {
  const caps = [budget?.maxCostUsd ?? 0, runMaxCostUsd].filter((cap) => cap > 0);
  const night = caps.length > 0 ? Math.min(...caps) - (budget?.committedUsd ?? 0) : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(night, monthRoomUsd));
}
function roomSource(budget, runMaxCostUsd, monthRoomUsd) {
  const caps = [budget?.maxCostUsd ?? 0, runMaxCostUsd].filter((cap) => cap > 0);
  const night = caps.length > 0 ? Math.min(...caps) - (budget?.committedUsd ?? 0) : Number.POSITIVE_INFINITY;
  if (monthRoomUsd < night) return `monthly-budget-usd (${formatUsd(Math.max(0, monthRoomUsd))} left this month)`;
  return `max-cost-usd ${formatUsd(Math.min(...caps))} (${formatUsd(budget?.committedUsd ?? 0)} already committed tonight)`;
}

// src/engine/night-budget.ts
async function fitToNight(state, candidates, rates, config, deps) {
  const price = resolvePrice(state.model, config.priceOverrides);
  const strict = (state.budget?.strict ?? false) || config.budgetStrict;
  const costOf = (set) => price ? recordsCostUsd(
    set.map((c) => c.record),
    { price, batch: rates.batch, strict, maxOutputTokens: state.maxOutputTokens }
  ) : 0;
  const monthRoom = await spendingOf(config, deps).monthRoom(monthlyOf(state, config));
  const room = nightRoomUsd(state.budget, config.maxCostUsd, monthRoom);
  if (!Number.isFinite(room)) return { kept: [...candidates], dropped: [], usd: costOf(candidates) };
  const source = roomSource(state.budget, config.maxCostUsd, monthRoom);
  const wouldCost = costOf(candidates);
  if (room <= 0 || wouldCost > room) {
    const fitted = room > 0 ? applyBudget(candidates, (set) => costOf(set), room) : null;
    const kept = fitted?.kept ?? [];
    const keptIds = new Set(kept.map((c) => c.customId));
    const reason = `${source} leaves ${formatUsd(room)}; sending ${candidates.length === 1 ? "it" : `all ${candidates.length}`} would commit ${formatUsd(wouldCost)}${strict ? " (budget-strict: at max_tokens of output)" : ""}`;
    return {
      kept,
      dropped: candidates.filter((c) => !keptIds.has(c.customId)).map((c) => ({ customId: c.customId, reason })),
      usd: costOf(kept)
    };
  }
  return { kept: [...candidates], dropped: [], usd: wouldCost };
}
async function commitToNight(state, usd, what, stateId, config, deps) {
  if (state.budget) state.budget.committedUsd += usd;
  else state.budget = { maxCostUsd: 0, strict: false, committedUsd: usd, deliverBy: null };
  await spendingOf(config, deps).commit(usd, what, stateId, monthlyOf(state, config));
}
var monthlyOf = (state, config) => config.monthlyBudgetUsd > 0 ? config.monthlyBudgetUsd : state.budget?.monthlyBudgetUsd ?? 0;
async function fitPlanToBudget(requests, committedOf, config, deps) {
  const monthRoom = await spendingOf(config, deps).monthRoom();
  const capUsd = Math.min(config.maxCostUsd > 0 ? config.maxCostUsd : Number.POSITIVE_INFINITY, monthRoom);
  if (!Number.isFinite(capUsd)) return { kept: requests, dropped: [] };
  const capName = monthRoom < (config.maxCostUsd || Number.POSITIVE_INFINITY) ? `monthly-budget-usd (${formatUsd(monthRoom)} left this month)` : "max-cost-usd";
  const fitted = applyBudget(requests, committedOf, capUsd);
  if (fitted.kept.length === 0 && requests.length > 0) {
    throw new ConfigError(
      `${capName}: even the cheapest request costs more than the budget of ${formatUsd(capUsd)}${config.budgetStrict ? " (budget-strict: at max_tokens of output)" : ""}; raise it or narrow include`
    );
  }
  if (fitted.dropped.length > 0) {
    const files = new Set(fitted.dropped.flatMap((d) => d.paths)).size;
    const cap = capName === "max-cost-usd" ? `max-cost-usd ${formatUsd(capUsd)}` : capName;
    deps.log.warning(
      `${cap}: left out ${fitted.dropped.length} of ${plural(requests.length, "request")} (${plural(files, "file")}), estimated ${formatUsd(fitted.totalUsd)} for all; the full plan lists them as over ${capName === "max-cost-usd" ? "max-cost-usd" : "monthly-budget-usd"}`
    );
  }
  return { kept: fitted.kept, dropped: fitted.dropped };
}

// src/engine/submit.ts
async function commitExists(cwd, sha) {
  const out = await runGit(cwd, ["rev-parse", "--verify", "--quiet", `${sha}^{commit}`], { okExitCodes: [1, 128] }).catch(
    () => ""
  );
  return out !== "";
}
async function resolveSince(config, deps, task) {
  const since = parseSince(config.since);
  if (since.kind !== "last") return { since };
  const ref = deps.context.ref;
  const earlier = (await deps.store.list(task.name)).filter(
    (s) => s.state.batches.length > 0 && s.state.pullRequest === null && (!ref || !s.state.ref || s.state.ref === ref)
  );
  const reviewed = /* @__PURE__ */ new Set();
  for (const { state } of earlier) {
    for (const record of Object.values(state.requests)) {
      if (record.failed) continue;
      for (const [path, hash] of Object.entries(record.contentHashes)) reviewed.add(`${path}\0${hash}`);
    }
  }
  const alreadyReviewed = (path, contentHash) => reviewed.has(`${path}\0${contentHash}`);
  const previous = earlier.at(-1);
  if (!previous) {
    deps.log.info(`since: last found no earlier submit of ${task.name}; reviewing the last 24h instead`);
    return { since: { kind: "duration", ms: 24 * 36e5, text: "24h" }, alreadyReviewed };
  }
  const leftOut = previous.state.skipped.filter((s) => s.reason === "max-files" || s.reason === "budget" || s.reason === "not-sent").length + previous.state.estimate.dropped.length + Object.values(previous.state.requests).filter((r) => r.failed).length;
  const watermark = leftOut > 0 ? previous.state.baseSha : previous.state.headSha;
  if (!watermark) {
    deps.log.info(
      `since: last \u2192 the whole tree again: the submit of ${previous.state.createdAt} reviewed the whole tree and left ${leftOut} file(s) out; what it sent is skipped`
    );
    return { since: { kind: "duration", ms: deps.now().getTime() + 1, text: "last" }, alreadyReviewed };
  }
  if (!await commitExists(deps.context.cwd, watermark)) {
    if (await runGit(deps.context.cwd, ["rev-parse", "--is-shallow-repository"]).catch(() => "") === "true") {
      throw new ConfigError(
        `since: last: the last reviewed commit ${watermark.slice(0, 7)} is not in this shallow checkout; use actions/checkout with fetch-depth: 0`
      );
    }
    deps.log.warning(
      `since: last: the last reviewed commit ${watermark.slice(0, 7)} is no longer in the history; reviewing the last 24h instead`
    );
    return { since: { kind: "duration", ms: 24 * 36e5, text: "24h" }, alreadyReviewed };
  }
  deps.log.info(
    leftOut > 0 ? `since: last \u2192 ${watermark.slice(0, 7)}, where the submit of ${previous.state.createdAt} started: it left ${leftOut} file(s) out (max-files, max-cost-usd, not sent or failed), so they come now; what it sent is skipped` : `since: last \u2192 ${watermark.slice(0, 7)} (reviewed by the submit of ${previous.state.createdAt})`
  );
  return { since: { kind: "revision", rev: watermark }, alreadyReviewed };
}
function checkSubmitConfig(config, needsKey) {
  if (!config.task) throw new UsageError("task: empty; name the task to submit, e.g. code-review");
  const task = getTask(config.task);
  const model = config.model ?? task.defaultModel;
  const price = resolvePrice(model, config.priceOverrides);
  if (!price) {
    throw new ConfigError(
      `model: no price known for '${model}'; add it with price-overrides (e.g. ${model}=3/15 for $3 input, $15 output per million tokens) or pick a model from the table`
    );
  }
  if (needsKey && config.provider === "anthropic" && !config.apiKey) {
    throw new ConfigError("anthropic-api-key: missing; set the ANTHROPIC_API_KEY secret (or use dry-run to plan without a key)");
  }
  return { task, model, price };
}
async function prepareWork(config, deps, needsKey) {
  const { task, model, price } = checkSubmitConfig(config, needsKey);
  const spending = spendingOf(config, deps);
  await spending.refuseWhenMonthSpent(config.dryRun);
  const warning = retirementWarning(model, deps.now());
  if (warning) deps.log.warning(warning);
  const { context } = deps;
  const resolved = context.pullRequest ? { since: { kind: "duration", ms: 0, text: "pr" } } : await resolveSince(config, deps, task);
  deps.progress?.("gathering the changed files");
  const changeSet = await gatherChanges({
    cwd: context.cwd,
    since: resolved.since,
    ...resolved.alreadyReviewed ? { alreadyReviewed: resolved.alreadyReviewed } : {},
    pullRequest: context.pullRequest,
    include: config.include,
    exclude: config.exclude,
    // The task's own filter before max-files: files it would drop take no slot.
    ...task.acceptsPath ? { acceptsPath: task.acceptsPath, taskName: task.name } : {},
    maxFiles: config.maxFiles,
    maxFileBytes: config.maxFileBytes,
    contextFiles: config.contextFiles,
    now: deps.now(),
    repository: context.repository
  });
  if (resolved.since.kind === "revision" && parseSince(config.since).kind === "last") {
    changeSet.window = changeSet.window.replace(
      `since ${resolved.since.rev}`,
      `since the last submit (${resolved.since.rev.slice(0, 7)})`
    );
  }
  const alreadyReviewed = changeSet.skipped.filter((s) => s.reason === "already-reviewed").length;
  if (alreadyReviewed > 0)
    deps.log.info(`${alreadyReviewed} file(s) skipped: this exact content was already sent by an earlier submit of ${task.name}`);
  deps.progress?.(`planning requests for ${plural(changeSet.files.length, "file")}`);
  const units = task.planUnits(changeSet.files, DEFAULT_PLAN_OPTIONS);
  const planned = new Set(units.flatMap((unit) => unit.files.map((file) => file.path)));
  for (const file of changeSet.files) {
    if (planned.has(file.path)) continue;
    if (task.accepts(file) && dataChangeLeftOut(file)) changeSet.skipped.push({ path: file.path, reason: "data" });
    else changeSet.skipped.push({ path: file.path, reason: "not-for-task", detail: task.name });
  }
  changeSet.files = changeSet.files.filter((file) => planned.has(file.path));
  const maxOutputTokens = config.maxOutputTokens ?? task.defaultMaxOutputTokens;
  let plan = planRequests({
    task,
    units,
    model,
    maxOutputTokens,
    instructions: await readInstructions(config.instructions, context.cwd, trustedCommitOf(changeSet)),
    contextFiles: changeSet.contextFiles,
    price,
    pullRequest: context.pullRequest
  });
  let tokenSource = "heuristic";
  if (config.apiKey && config.provider === "anthropic" && plan.requests.length > 0) {
    try {
      const client = deps.anthropic();
      const count2 = (params) => client.countTokens(params);
      deps.progress?.("counting input tokens with the API");
      const calibration = await calibrateInputTokens(plan.requests, count2);
      tokenSource = "count_tokens";
      if (plan.requests.length > 1) plan = decideCachingAgain(plan, await countPrefixTokens(model, plan.system, count2), price);
      deps.log.info(
        `input tokens: ${plural(calibration.sampled, "request")} counted by the API; estimate scaled by ${calibration.ratio.toFixed(2)}`
      );
    } catch (error) {
      if (error instanceof FatalApiError && error.status !== null && [401, 402, 403, 429].includes(error.status)) throw error;
      deps.log.warning(`count_tokens failed (${error.message}); the estimate uses the heuristic`);
    }
  }
  const days = await windowDays(context.cwd, resolved.since, changeSet);
  const estimateFor = (requests2, dropped2 = [], worstCase = false) => ({
    provider: config.provider,
    ...estimatePlan({
      model,
      price,
      requests: requests2.map((r) => ({
        customId: r.customId,
        paths: r.record.paths,
        inputTokens: r.record.estimatedInputTokens,
        // budget-strict: every request may write up to its max_tokens.
        outputTokens: worstCase ? maxOutputTokens : r.record.estimatedOutputTokens
      })),
      prefixTokens: plan.prefixTokens,
      cached: plan.cached,
      files: new Set(requests2.flatMap((r) => r.record.paths)).size,
      tokenSource,
      dropped: dropped2,
      windowDays: days
    })
  });
  const strict = config.budgetStrict;
  const committedOf = (kept) => estimateFor(kept, [], strict).batchUsd;
  const { kept: requests, dropped } = await fitPlanToBudget(plan.requests, committedOf, config, deps);
  if (dropped.length > 0) {
    const source = tokenSource === "count_tokens" ? "counted by the API" : null;
    plan = { ...decideCachingAgain({ ...plan, requests }, plan.prefixTokens, price, source), requests: plan.requests };
  }
  const budget = {
    maxCostUsd: config.maxCostUsd,
    strict,
    monthlyBudgetUsd: config.monthlyBudgetUsd,
    committedUsd: committedOf(requests),
    deliverBy: config.deliverBy ? { text: config.deliverBy.text, at: deadlineAfter(config.deliverBy, deps.now()).toISOString() } : null
  };
  recordRedactions(task.name, requests, changeSet.files);
  const estimate = estimateFor(requests, dropped);
  if (config.provider === "bedrock" && requests.length > 0 && requests.length < config.bedrock.minRecords) {
    deps.log.warning(
      `bedrock: ${plural(requests.length, "request")} is below the minimum of ${config.bedrock.minRecords} records per batch job: answered on demand at the full price (about ${formatUsd(estimate.interactiveUsd)}, not ${formatUsd(estimate.batchUsd)})`
    );
  }
  return { task, model, maxOutputTokens, price, changeSet, plan, requests, estimate, budget };
}
function newState(work, deps) {
  const { changeSet } = work;
  const requests = {};
  for (const r of work.requests) requests[r.customId] = r.record;
  return {
    version: STATE_VERSION,
    tool: "overnight",
    task: work.task.name,
    model: work.model,
    maxOutputTokens: work.maxOutputTokens,
    repository: changeSet.repository,
    serverUrl: deps.context.serverUrl,
    headSha: changeSet.headSha,
    baseSha: changeSet.baseSha,
    ref: changeSet.ref ?? deps.context.ref,
    pullRequest: changeSet.pullRequest ?? deps.context.pullRequest,
    event: deps.context.event,
    window: changeSet.window,
    createdAt: deps.now().toISOString(),
    submittedBy: deps.context.runLabel,
    batches: [],
    requests,
    estimate: work.estimate,
    collectedAt: null,
    published: {},
    systemPrefix: work.requests[0]?.params.system ?? [],
    redactions: changeSet.files.reduce((n, f) => n + f.redactions, 0),
    cleanHashes: [...new Set(changeSet.files.filter((f) => f.redactions === 0).map((f) => f.contentHash))],
    // What the budget dropped is in estimate.dropped; everything else unsent is listed here for the reports.
    skipped: unsentFiles(work, false),
    // Committed once the batches are sent (submit).
    budget: { ...work.budget, committedUsd: 0 }
  };
}
function setPlanOutputs(deps, work) {
  deps.setOutput("request-count", work.requests.length);
  deps.setOutput("estimated-cost-usd", work.estimate.batchUsd.toFixed(4));
}
async function sendBatches(state, requests, deps, attempt) {
  const client = await batchService(deps);
  const created = [];
  for (const { requests: group, bodyBytes } of splitIntoBatches(requests, deps.batchLimits ?? client.limits)) {
    const batch = await client.createJob(group, bodyBytes);
    const record = {
      id: batch.id,
      requestCount: group.length,
      attempt,
      submittedAt: deps.now().toISOString(),
      status: batch.status,
      endedAt: null,
      resultsSaved: false
    };
    for (const r of group) {
      const existing = state.requests[r.customId];
      state.requests[r.customId] = { ...existing ?? r.record, attempt, batchId: batch.id };
    }
    state.provider = client.name;
    state.batches.push(record);
    created.push(record);
    deps.log.info(`batch ${batch.id}: ${plural(group.length, "request")}`);
  }
  return created;
}
function unsentFiles(work, budget = true) {
  const planned = new Set(work.plan.requests.flatMap((r) => r.record.paths));
  const entries = work.changeSet.skipped.map((s) => ({ path: s.path, reason: s.reason }));
  const listed = new Set(entries.map((entry) => entry.path));
  for (const file of work.changeSet.files) {
    if (!planned.has(file.path) && !listed.has(file.path)) entries.push({ path: file.path, reason: "not-for-task" });
  }
  if (budget) {
    const sent = new Set(work.requests.flatMap((r) => r.record.paths));
    for (const dropped of work.estimate.dropped) {
      for (const path of dropped.paths) if (!sent.has(path)) entries.push({ path, reason: "budget" });
    }
  }
  return entries;
}
async function reportPlan(work, deps, dryRun, batches) {
  const input = {
    task: work.task.name,
    repository: work.changeSet.repository,
    headSha: work.changeSet.headSha,
    window: work.changeSet.window,
    model: work.model,
    dryRun,
    requests: work.requests.map((r) => ({
      paths: r.record.paths,
      part: r.record.part,
      inputTokens: r.record.estimatedInputTokens
    })),
    batches,
    estimate: work.estimate,
    skipped: unsentFiles(work),
    redacted: work.changeSet.files.filter((f) => f.redactions > 0).map((f) => ({ path: f.path, count: f.redactions })),
    caching: work.plan.cachingReason
  };
  const where = await deps.jobSummary(renderPlanMarkdown(input));
  for (const line of renderPlanLines(input, where || void 0)) deps.log.info(line);
}
async function reportUnsent(work, config, deps) {
  if (!config.dryRun && work.requests.length > 0) return null;
  if (config.dryRun) {
    deps.log.info(`dry-run: ${work.requests.length} requests would be sent for ${work.estimate.files} files`);
  } else deps.log.info(`nothing to do: no file in ${work.changeSet.window} needs ${work.task.name}`);
  const status = config.dryRun ? "dry-run" : "nothing-to-do";
  deps.setOutput("status", status);
  await reportPlan(work, deps, config.dryRun, []);
  return status;
}
async function submit(config, deps, prepared) {
  const work = prepared ?? await prepareWork(config, deps, !config.dryRun);
  setPlanOutputs(deps, work);
  const unsent2 = await reportUnsent(work, config, deps);
  if (unsent2) return { status: unsent2, stateId: null, batchIds: [], requestCount: work.requests.length, estimate: work.estimate };
  const state = newState(work, deps);
  if (work.budget.deliverBy && config.deliverBy) {
    const warning = deadlineWarning(config.deliverBy, new Date(work.budget.deliverBy.at), deps.now());
    if (warning) deps.log.warning(warning);
  }
  let stateId = null;
  try {
    await sendBatches(state, work.requests, deps, 0);
  } finally {
    const sent = Object.values(state.requests).filter((record) => record.batchId !== null).length;
    state.budget.committedUsd = work.requests.length > 0 ? work.budget.committedUsd * sent / work.requests.length : 0;
    for (const [customId, record] of Object.entries(state.requests)) {
      if (record.batchId !== null) continue;
      delete state.requests[customId];
      for (const path of record.paths) state.skipped.push({ path, reason: "not-sent" });
    }
    if (state.batches.length > 0) stateId = await deps.store.create(state);
  }
  await spendingOf(config, deps).commit(state.budget.committedUsd, "submit", stateId ?? void 0);
  const batchIds = state.batches.map((b) => b.id);
  deps.setOutput("status", "submitted");
  deps.setOutput("batch-ids", batchIds.join(","));
  deps.log.info(
    `submitted ${plural(work.requests.length, "request")} in ${plural(batchIds.length, "batch", "batches")}; state saved to ${deps.store.describe(stateId)}`
  );
  await reportPlan(work, deps, false, state.batches);
  await openCheckRun(deps.github, state, deps.log, deps.context.runUrl);
  return { status: "submitted", stateId, batchIds, requestCount: work.requests.length, estimate: work.estimate };
}

export {
  gatherChanges,
  addRedactionFindings,
  spendingOf,
  fitToNight,
  commitToNight,
  resolveSince,
  checkSubmitConfig,
  prepareWork,
  newState,
  sendBatches,
  unsentFiles,
  reportUnsent,
  submit
};
