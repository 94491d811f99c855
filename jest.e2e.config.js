// The browser suite (`npm run test:e2e`): Debian's Chromium driven by playwright-core. Needs /usr/bin/chromium
// (.ci/run installs it); never part of plain `npm test`.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testPathIgnorePatterns: [],
  testTimeout: 60_000,
};
