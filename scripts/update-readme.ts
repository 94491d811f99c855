// `npm run docs`: rewrites the README's Troubleshooting tables from the error catalog, formatted as
// `npm run format` would.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { renderTroubleshooting, replaceTroubleshooting } from './troubleshooting.js';

async function main() {
  const file = path.join(__dirname, '..', 'README.md');
  const updated = replaceTroubleshooting(readFileSync(file, 'utf8'), renderTroubleshooting());
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(updated, { ...options, filepath: file }));
  process.stdout.write(`Updated the Troubleshooting section of ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
