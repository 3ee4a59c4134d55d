/** Jest runs the TypeScript sources as ESM through SWC (no type-check here: `npm run typecheck` does that). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
      module: { type: 'es6' },
    }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
  // One worker per core (Jest's default leaves one core to itself): most suites wait on servers, child processes and
  // HTTP rather than compute, so on a 2-core machine two workers take the whole suite from ≈ 14 to ≈ 9 minutes.
  maxWorkers: '100%',
};
