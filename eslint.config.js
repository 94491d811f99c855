// ESLint flat config: typescript-eslint with type information, plus the dependency-direction rules:
// web → session → auth → ringcentral, errors/ a leaf, the emulator apart; only entry points read process.env.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const globals = require('globals');

const noExpress = [
  { name: 'express', message: 'Only src/app.ts and src/web/** know Express.' },
  { name: 'express-session', message: 'Only the web and session tiers know express-session.' },
];
const noHttpClient = [{ name: 'axios', message: 'Only src/ringcentral/ talks HTTP to RingCentral.' }];
const noEmulator = {
  group: ['../emulator/*'],
  message: 'The app never imports the emulator (only entry points do).',
};

module.exports = tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'test-output/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      eqeqeq: 'error',
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read the environment once in an entry point; pass Config down.',
        },
      ],
    },
  },
  {
    files: [
      'src/main.ts',
      'src/healthcheck.ts',
      'src/emulator/emulator-main.ts',
      'src/doctor/doctor-main.ts',
      // Spawn real processes (PATH, CONTAINERS_CONF) or find the browser (CHROMIUM_PATH).
      'test/deploy/**',
      'test/e2e/**',
      'test/container/**',
      // The benchmark starts processes and servers of its own.
      'bench/**',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src/auth/**/*.ts', 'src/ringcentral/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noExpress,
          patterns: [
            {
              group: ['../web/*', '../session/*', '../app.js', '../config.js', '../emulator/*'],
              message: 'Dependencies point web → auth → ringcentral.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ringcentral/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noExpress,
          patterns: [
            {
              group: ['../auth/*', '../web/*', '../app.js', '../config.js'],
              message: 'The client knows nothing of the flow.',
            },
          ],
        },
      ],
    },
  },
  {
    // What is kept between requests: session data, not requests. Nothing here may know Express.
    files: ['src/session/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'express', message: 'session/ works on session data and ids, never on req/res.' },
            ...noHttpClient,
          ],
          patterns: [
            {
              group: ['../web/*', '../app.js', '../compose.js'],
              message: 'Dependencies point web → session, never back.',
            },
            noEmulator,
          ],
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.ts', 'src/app.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noHttpClient,
          patterns: [
            noEmulator,
            {
              group: ['redis', 'rate-limit-redis', 'lru-cache'],
              message: 'Stores are built in src/session/.',
            },
          ],
        },
      ],
    },
  },
  {
    // A leaf: every layer throws these, so they import nothing of the app.
    files: ['src/errors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*', '!../errors'], message: 'errors/ is a leaf: it imports nothing from the app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', '!../emulator'],
              message: 'The emulator stands in for RingCentral: it shares no code with the app.',
            },
          ],
        },
      ],
    },
  },
  {
    // Browser scripts: plain scripts served as they are (no bundler), so CSP can stay "script-src 'self'".
    files: ['public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'script',
      globals: globals.browser,
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-restricted-properties': 'off' },
  },
  {
    files: ['*.js', 'scripts/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
