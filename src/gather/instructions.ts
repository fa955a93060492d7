// `instructions`: extra text for the shared system prompt, given as the text itself or as the path of
// a file in the repository. A file is read like the context files: from git objects at the trusted
// commit (a pull request's base, which the pull request cannot change), never through a symlink
// (a committed `guide.md -> /proc/self/environ` would put the API key into every request), never
// outside the repository, and redacted like everything else sent.
import { ConfigError } from '../errors.js';
import { decodeUtf8, isBinaryContent, isCredentialPath } from './filters.js';
import { redactSecrets } from './redact.js';
import { entryAt, normaliseRelativePath } from './tree.js';

/** Longest value still read as a path; longer values are always text. */
const PATH_MAX_CHARS = 300;

/**
 * Whether a value is meant as a path even when nothing is there: one word (no whitespace) with a
 * slash, or ending in a file extension (`docs/review.md`, `REVIEW.md`, `../x.txt`, `/etc/passwd`).
 * Such a value that cannot be read is an error, not text: sending the path as the instructions would
 * silently drop what the user asked for.
 */
function looksLikePath(value: string): boolean {
  return !/\s/.test(value) && (/[/\\]/.test(value) || /\.[A-Za-z0-9]{1,8}$/.test(value));
}

/**
 * The instructions text. The rule (as before, now documented): a value of one line, at most 300
 * characters, that names a file at the trusted commit is that file's content; any other value is
 * the text itself. A value that names a symlink, a submodule or a directory, or that looks like a
 * path (see looksLikePath) but is outside the repository or missing, is refused with one line.
 */
export async function readInstructions(value: string, cwd: string, trustedCommit: string): Promise<string> {
  const text = value.trim();
  if (!text) return '';
  if (text.includes('\n') || text.length > PATH_MAX_CHARS) return (await redactSecrets(text, 'instructions')).content;
  const at = `at commit ${trustedCommit.slice(0, 7)}`;
  const entry = await entryAt(cwd, trustedCommit, text.replace(/^\.\//, ''));
  const refuse = (why: string): never => {
    throw new ConfigError(`instructions: ${text} ${why}`);
  };
  switch (entry.kind) {
    case 'file': {
      // Credential data is never read, whoever asks (the same rule as for changed files).
      if (isCredentialPath(normaliseRelativePath(text) ?? text))
        return refuse('is a credential file by its name; it is never read');
      const content = isBinaryContent(entry.data) ? null : decodeUtf8(entry.data);
      if (content === null) return refuse(`${at} is not UTF-8 text; point instructions at a text file`);
      return (await redactSecrets(content, text)).content;
    }
    case 'symlink':
      return refuse(
        `is a symbolic link ${at}; instructions are read only from a regular file committed in the repository (a link could point at secrets)`,
      );
    case 'submodule':
      return refuse(`is a submodule ${at}; point instructions at a file of this repository`);
    case 'directory':
      return refuse(`is a directory ${at}; point instructions at a file`);
    case 'outside':
      if (looksLikePath(text)) return refuse('is outside the repository; give a path inside it, or the text itself');
      break;
    case 'missing':
      if (looksLikePath(text)) {
        return refuse(
          `is not a file ${at} (instructions are read from the trusted commit: a pull request's base, else the reviewed commit); commit it there, or give the text itself`,
        );
      }
      break;
  }
  return (await redactSecrets(text, 'instructions')).content;
}
