// Credential DATA files are never read; source code named like a credential is reviewed.
import { describe, expect, it } from 'vitest';
import { isCredentialPath } from '../src/gather/credentials.js';
import { classifyPath } from '../src/gather/filters.js';

describe('isCredentialPath', () => {
  it.each([
    '.env',
    '.env.production',
    'config/.env.local',
    'deploy/prod.env',
    '.envrc',
    'services/api/.envrc',
    'deploy/env.production',
    'env.staging',
    '.yarnrc',
    '.yarnrc.yml',
    '.npmrc',
    '.m2/settings.xml',
    'settings.xml',
    'ci/settings-security.xml',
    'kubeconfig',
    'ops/prod-kubeconfig.yaml',
    'clusters/admin.kubeconfig',
    '.kube/config',
    '.docker/config.json',
    'deploy/docker/config.json',
    '.dockerconfigjson',
    'certs/server.pem',
    'keys/signing.key',
    'home/.ssh/id_ed25519',
    'id_rsa.pub',
    'config/credentials.json',
    'credentials',
    '.aws/credentials',
    'config/credentials.yml.enc',
    'k8s/secrets.yaml',
    'secrets.json',
    'android/release.jks',
    'ios/dist.p12',
    'win/signing.pfx',
    '.netrc',
    '.pgpass',
    '.git-credentials',
    'infra/prod.tfvars',
    'infra/terraform.tfstate',
  ])('%s is credential data, never read', (path) => {
    expect(isCredentialPath(path)).toBe(true);
    expect(classifyPath(path)).toBe('credential');
  });

  it.each([
    'src/server/credentials.ts',
    'client/credentials.ts',
    'tests/mcp/secrets.spec.ts',
    'app/settings/secrets.py',
    'src/main/java/com/example/Credentials.java',
    'pkg/kubeconfig/kubeconfig.go',
    'src/env.ts',
    'src/secret.ts',
    'src/credential_store.go',
    'docs/secrets.md',
    'docs/keys.md',
    'README.md',
    'android/app/src/main/res/xml/settings.xml',
    'config.json',
    'src/environment.py',
  ])('%s is source code (or prose): reviewed', (path) => {
    expect(isCredentialPath(path)).toBe(false);
  });
});
