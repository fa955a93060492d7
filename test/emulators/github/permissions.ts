// A workflow token's permissions, as a job's `permissions:` block grants them. Once a test sets them,
// every scope it leaves out is `none` (as GitHub does when a workflow names any permission), and a
// request outside what the token holds gets GitHub's answer: 403 "Resource not accessible by
// integration" with the `x-accepted-github-permissions` header naming what would have been enough.
export type PermissionLevel = 'read' | 'write' | 'none';
export type PermissionScope = 'actions' | 'checks' | 'contents' | 'issues' | 'pull-requests' | 'security-events' | 'statuses';
export type TokenPermissions = Partial<Record<PermissionScope, PermissionLevel>>;

/** The scopes any one of which allows an operation (issue comments on a pull request: issues or pull-requests). */
function scopesOf(operationId: string): PermissionScope[] | null {
  if (operationId.startsWith('checks/')) return ['checks'];
  if (/^repos\/(create-commit-status|list-commit-statuses-for-ref|get-combined-status-for-ref)$/.test(operationId)) {
    return ['statuses'];
  }
  if (/^issues\/(create|update|get|list-for-repo)$/.test(operationId)) return ['issues'];
  // Comments and labels work on issues and pull requests alike.
  if (operationId.startsWith('issues/')) return ['issues', 'pull-requests'];
  if (operationId.startsWith('pulls/')) return ['pull-requests'];
  if (operationId.startsWith('code-scanning/')) return ['security-events'];
  if (operationId.startsWith('git/') || operationId === 'repos/get-content' || operationId === 'repos/get-branch') {
    return ['contents'];
  }
  if (operationId.startsWith('actions/')) return ['actions'];
  // Metadata (repos/get, search): every token may read it.
  return null;
}

/**
 * Null when `permissions` (undefined: a token with every permission) allows the operation; otherwise
 * the value of GitHub's `x-accepted-github-permissions` header for it ("checks=write").
 */
export function missingPermission(permissions: TokenPermissions | undefined, operationId: string, write: boolean): string | null {
  if (!permissions) return null;
  const scopes = scopesOf(operationId);
  if (!scopes) return null;
  const enough = (level: PermissionLevel | undefined): boolean => level === 'write' || (!write && level === 'read');
  if (scopes.some((scope) => enough(permissions[scope]))) return null;
  return scopes.map((scope) => `${scope.replace('-', '_')}=${write ? 'write' : 'read'}`).join('; ');
}
