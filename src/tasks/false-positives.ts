// Known false-positive classes of security findings: kinds that public security reviewers (and our
// own reading of model answers) find mostly wrong or not worth an issue. They are not banned: a
// finding of such a class is posted only with a concrete attack path (a trigger of the form
// source → sink → impact) and confidence `certain`; otherwise it is held back, kept in the results.
// The classes are decided by cheap deterministic rules on category, CWE and path, and a team can
// choose its own list in `.github/overnight.yml` (`false-positive-classes:`, see decisions-file.ts).
import { classifyPath } from '../gather/filters.js';
import type { Finding } from '../types.js';
import { isDocPath, isTestPath } from './paths.js';

interface FalsePositiveClass {
  /** What the prompt calls it. */
  label: string;
  matches(finding: Pick<Finding, 'category' | 'cwe' | 'path'>): boolean;
}

const cweIn =
  (...ids: number[]) =>
  (cwe: string | null): boolean =>
    cwe !== null && ids.some((id) => cwe === `CWE-${id}`);

/** Languages where an out-of-bounds write or use-after-free cannot happen outside `unsafe` code. */
const MEMORY_UNSAFE = /\.(c|h|cc|cpp|cxx|c\+\+|hh|hpp|hxx|m|mm|s|asm|zig|pas|d)$/i;
/** Template languages and components whose output is escaped by default. */
const ESCAPING_TEMPLATES = /\.(jsx|tsx|vue|svelte|astro|hbs|handlebars|mustache|jinja2?|j2|twig|erb|razor|cshtml|blade\.php)$/i;
const EXAMPLE_DIRECTORY = /(^|\/)(examples?|samples?|demos?|fixtures?)\//i;

export const FALSE_POSITIVE_CLASSES = {
  'denial-of-service': {
    label: 'denial of service and missing rate limits',
    matches: ({ category, cwe }) =>
      cweIn(400, 770, 799, 307, 1333, 834)(cwe) ||
      /(^|-)(dos|denial-of-service|rate-limit\w*|resource-exhaustion|redos)(-|$)/.test(category),
  },
  'log-spoofing': {
    label: 'log spoofing',
    matches: ({ category, cwe }) => cweIn(117)(cwe) || /log-(injection|spoofing|forging|forgery)/.test(category),
  },
  'memory-safety': {
    label: 'memory safety in memory-safe languages',
    matches: ({ category, cwe, path }) =>
      !MEMORY_UNSAFE.test(path) &&
      (cweIn(119, 120, 121, 122, 125, 415, 416, 787, 788)(cwe) ||
        /buffer-overflow|out-of-bounds|use-after-free|memory-(safety|corruption)/.test(category)),
  },
  'client-side-check': {
    label: 'client-side-only checks',
    matches: ({ category, cwe }) => cweIn(602)(cwe) || /(^|-)client-side-(check|validation|only)(-|$)/.test(category),
  },
  'framework-escaped-output': {
    label: 'output a framework already escapes (XSS in JSX, Vue, Svelte, templates)',
    matches: ({ category, cwe, path }) =>
      ESCAPING_TEMPLATES.test(path) && (cweIn(79, 80)(cwe) || /(^|-)xss(-|$)|cross-site-scripting/.test(category)),
  },
  'theoretical-race': {
    label: 'theoretical races',
    matches: ({ category, cwe }) => cweIn(362, 366, 367)(cwe) || /(^|-)(race|race-condition|toctou)(-|$)/.test(category),
  },
  'test-code': {
    label: 'test and example code',
    matches: ({ path }) => isTestPath(path) || EXAMPLE_DIRECTORY.test(path),
  },
  documentation: {
    label: 'documentation',
    matches: ({ path }) => isDocPath(path),
  },
  generated: {
    label: 'generated code',
    matches: ({ path }) => classifyPath(path) === 'generated',
  },
} satisfies Record<string, FalsePositiveClass>;

export type FalsePositiveClassName = keyof typeof FALSE_POSITIVE_CLASSES;
export const FALSE_POSITIVE_CLASS_NAMES = Object.keys(FALSE_POSITIVE_CLASSES) as FalsePositiveClassName[];

/** The classes as the security-scan prompt lists them. */
export const FALSE_POSITIVE_CLASS_TEXT = FALSE_POSITIVE_CLASS_NAMES.map((name) => FALSE_POSITIVE_CLASSES[name].label).join('; ');

/** A trigger that names a path from a source to an impact: at least two steps ("a → b → c", "a -> b -> c"). */
export function hasAttackPath(trigger: string | undefined): boolean {
  if (!trigger) return false;
  const steps = trigger.split(/\s*(?:→|->|=>)\s*/).filter((step) => /\w/.test(step));
  return steps.length >= 3;
}

/** Whether a finding is a security finding the classes apply to: security-scan's, or one with a CWE. */
function isSecurityFinding(finding: Pick<Finding, 'task' | 'cwe'>): boolean {
  return finding.task === 'security-scan' || finding.cwe !== null;
}

/**
 * The first of `classes` a finding belongs to when it lacks what such a finding needs to be posted
 * (an attack path and confidence `certain`); null when it may be posted.
 */
export function heldBackClass(
  finding: Pick<Finding, 'task' | 'category' | 'cwe' | 'path' | 'confidence' | 'trigger'>,
  classes: readonly FalsePositiveClassName[],
): FalsePositiveClassName | null {
  if (!isSecurityFinding(finding)) return null;
  const name = classes.find((c) => FALSE_POSITIVE_CLASSES[c].matches(finding));
  if (!name) return null;
  return finding.confidence === 'certain' && hasAttackPath(finding.trigger) ? null : name;
}
