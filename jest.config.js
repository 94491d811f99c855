// Jest runs the TypeScript sources through ts-jest (CommonJS, so no experimental VM-modules flag).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Suites that need more than npm (Redis, nginx, a browser) have their own npm scripts.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/deploy/',
    '<rootDir>/test/e2e/',
    '<rootDir>/test/container/',
  ],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
  },
  // Sources import './x.js' (what Node resolves at run time); map that back to the .ts file for Jest.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
