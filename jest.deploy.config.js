// The deployment suite (`npm run test:deploy`): real Redis, nginx and app processes on loopback ports.
// Needs redis-server and nginx installed (.ci/run installs them); never part of plain `npm test`.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/deploy'],
  testPathIgnorePatterns: [],
  testTimeout: 60_000,
};
