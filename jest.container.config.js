// The container suite (`npm run test:container`): the image built from the Dockerfile, run with rootful
// Podman. scripts/container/prepare.sh installs Podman and builds the image first; never part of `npm test`.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/container'],
  testPathIgnorePatterns: [],
  testTimeout: 120_000,
};
