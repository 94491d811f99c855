// Run before `npm start` and `npm run doctor`: the first compile of the TypeScript sources takes a while
// (about 15 s on a small machine) and prints nothing, so say what is happening. Later starts are incremental.
const { existsSync } = require('node:fs');

if (!existsSync('dist/main.js')) {
  process.stdout.write('Compiling the TypeScript sources (first start only, about 15 s)…\n');
}
