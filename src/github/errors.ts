// What a failed GitHub call says: its HTTP status (Octokit's RequestError carries one; a network
// failure has none) and the first line of its message. Every reporter and store asks here.

/** The HTTP status of a failed request; undefined when there is none (a network error, a bug). */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The first line of an error's message (Octokit appends the documentation URL and more below). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** "403 Resource not accessible by integration": the status (when any) and the message's first line. */
export function describeHttpError(error: unknown): string {
  const status = httpStatus(error);
  return status ? `${status} ${errorMessage(error)}` : errorMessage(error);
}
