// The GitHub side of a run: an Octokit with throttling and retry, and where it points.
import type { Octokit } from '@octokit/rest';

export interface GitHubContext {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** https://github.com or a GHES base; used for permalinks. */
  serverUrl: string;
  /** Writes to job summary / annotations only (fork PR, read-only token). */
  readOnly: boolean;
}
