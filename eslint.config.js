// Lint: typescript-eslint's recommended rules on the sources, tests and scripts; dist/ is generated.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tools/node24/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-control-regex': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
