// Errors the entry points turn into one line and an exit code. Anything else that escapes is a bug
// (exit 1 with its stack in debug output).

/** The user typed something overnight cannot read (a flag, an input value): exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The environment or configuration cannot work (no git checkout, shallow clone, missing key): exit code 1. */
export class ConfigError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
