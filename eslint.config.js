// ESLint 9 flat config.
// - LWC sources (.ts, authored in TypeScript): Salesforce's recommended LWC rules, TypeScript-aware.
// - Tooling under scripts/: typescript-eslint's recommended rules.
// Emitted .js next to the component .ts is build output and is not linted.
const lwcRecommendedTs = require('@salesforce/eslint-config-lwc/recommended-ts');
const tseslint = require('typescript-eslint');
const globals = require('globals');

const lwcFiles = ['force-app/**/lwc/**/*.ts'];

module.exports = [
  {
    ignores: [
      'node_modules/**',
      '.tmp/**',
      '.sf/**',
      '.sfdx/**',
      'coverage/**',
      // Fixture SFDX projects of the deploy-check tests: metadata to be checked, not tooling code.
      'scripts/deploy-check/__tests__/fixtures/**',
      'force-app/**/lwc/**/*.js',
      '!force-app/**/lwc/**/__tests__/**/*.js',
    ],
  },
  ...lwcRecommendedTs.map((config) => ({ ...config, files: config.files ?? lwcFiles })),
  // Salesforce's config parses TypeScript with Babel, whose scope analysis cannot see types or parameter
  // properties (false no-undef / no-unused-vars). Parse with typescript-eslint instead, keep the LWC rules, and
  // let the TypeScript checker own undefined names, as typescript-eslint recommends.
  {
    files: lwcFiles,
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-undef': 'off',
      'no-unused-vars': 'off',
      'no-use-before-define': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-use-before-define': ['error', { functions: false, classes: true, variables: true, typedefs: false }],
    },
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.ts', 'force-app/test/**/*.{js,ts}'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
  },
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['scripts/**/*.ts'] })),
  {
    files: ['scripts/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Walking a chain of outer classes or scopes starts from `this`; that alias is the point, not a closure hack.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['c', 's', 'cls', 'scope', 'current'] }],
    },
  },
  {
    files: ['*.js', 'scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
];
