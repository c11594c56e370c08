// Jest for the Lightning Web Components (run by `npx sfdx-lwc-jest`, `npm run test:unit` and the jest gate).
// Components and their tests are TypeScript; @lwc/jest-transformer compiles both.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  // Only the component tests: scripts/**/__tests__ are node:test suites run by the tooling gate.
  testMatch: ['<rootDir>/force-app/**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.tmp/', '<rootDir>/scripts/'],
  modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/.localdevserver/'],
  // Platform modules sfdx-lwc-jest has no stub for.
  moduleNameMapper: {
    '^lightning/modal$': '<rootDir>/force-app/test/jest-mocks/lightning/modal',
  },
  // Coverage of the TypeScript sources (not of the emitted .js).
  coverageProvider: 'v8',
  collectCoverageFrom: [
    'force-app/main/setup-tab/lwc/**/*.ts',
    '!force-app/main/setup-tab/lwc/**/__tests__/**',
    '!force-app/main/setup-tab/lwc/**/*.d.ts',
  ],
  coverageReporters: ['text-summary', 'json-summary', 'lcov'],
  restoreMocks: false,
};
