// .gitattributes, the part overnight honours: linguist-generated and linguist-vendored (GitHub's
// linguist reads the same attributes to fold generated files in diffs and leave vendored code out of
// language statistics). Read from git objects at the trusted commit, never from the work tree.
import picomatch from 'picomatch';
import type { GitObjectReader } from './git.js';
import { nestedRulesFiles, pathUnder, type TreeEntry } from './tree.js';

/** true: set (`attr`, `attr=true`); false: unset (`-attr`, `attr=false`); absent: unspecified. */
export interface LinguistAttributes {
  generated?: { value: boolean; where: string };
  vendored?: { value: boolean; where: string };
}

interface Rule {
  dir: string;
  matches: (relative: string) => boolean;
  generated?: boolean | null;
  vendored?: boolean | null;
  where: string;
}

const ATTRIBUTES = { 'linguist-generated': 'generated', 'linguist-vendored': 'vendored' } as const;

/** `attr` / `attr=true` → true, `-attr` / `attr=false` → false, `!attr` → null (back to unspecified). */
function attributeValue(token: string): { name: string; value: boolean | null } | null {
  if (token.startsWith('-')) return { name: token.slice(1), value: false };
  if (token.startsWith('!')) return { name: token.slice(1), value: null };
  const eq = token.indexOf('=');
  if (eq < 0) return { name: token, value: true };
  const value = token.slice(eq + 1).toLowerCase();
  return { name: token.slice(0, eq), value: value !== 'false' && value !== '0' };
}

/**
 * gitattributes patterns follow .gitignore's, with two differences: no negation, and a pattern that
 * names a directory does not apply to the files inside it (`vendor/**` does, `vendor/` does not).
 */
function patternMatcher(pattern: string): ((relative: string) => boolean) | null {
  if (pattern.startsWith('!') || pattern.endsWith('/')) return null;
  const anchored = pattern.replace(/^\//, '');
  if (!anchored.includes('/')) return picomatch(anchored, { dot: true, basename: true });
  return picomatch(anchored, { dot: true });
}

function parseRules(text: string, dir: string, file: string): Rule[] {
  const rules: Rule[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('[attr]')) return;
    const [pattern, ...tokens] = line.split(/\s+/);
    const matches = patternMatcher(pattern!);
    if (!matches) return;
    const rule: Rule = { dir, matches, where: `${file}:${index + 1}` };
    for (const token of tokens) {
      const parsed = attributeValue(token);
      const key = parsed && ATTRIBUTES[parsed.name as keyof typeof ATTRIBUTES];
      if (key) rule[key] = parsed.value;
    }
    if (rule.generated !== undefined || rule.vendored !== undefined) rules.push(rule);
  });
  return rules;
}

/** The linguist attributes of any path, from every .gitattributes in `tree` (deeper files and later lines win). */
export async function linguistAttributes(
  tree: readonly TreeEntry[],
  reader: GitObjectReader,
): Promise<(path: string) => LinguistAttributes> {
  const rules: Rule[] = [];
  for (const file of await nestedRulesFiles(tree, '.gitattributes', reader))
    rules.push(...parseRules(file.text, file.dir, file.path));
  return (path) => {
    const result: LinguistAttributes = {};
    for (const rule of rules) {
      const relative = pathUnder(rule.dir, path);
      if (relative === null || !rule.matches(relative)) continue;
      for (const key of ['generated', 'vendored'] as const) {
        const value = rule[key];
        if (value === undefined) continue;
        if (value === null) delete result[key];
        else result[key] = { value, where: rule.where };
      }
    }
    return result;
  };
}
