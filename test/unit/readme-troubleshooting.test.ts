import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FLOW_ERRORS, PROVIDER_ERRORS } from '../../src/errors/error-catalog';
import { extractTroubleshooting, renderTroubleshooting } from '../../scripts/troubleshooting';

const README = path.join(__dirname, '..', '..', 'README.md');

describe("README's Troubleshooting section", () => {
  it('is exactly what the error catalog renders (run `npm run docs` after changing the catalog)', () => {
    const readme = readFileSync(README, 'utf8');

    const expected = renderTroubleshooting();

    expect(normalize(extractTroubleshooting(readme))).toEqual(normalize(expected));
  });

  it('names every catalog entry', () => {
    const section = extractTroubleshooting(readFileSync(README, 'utf8'));

    for (const key of [...Object.keys(PROVIDER_ERRORS), ...Object.keys(FLOW_ERRORS)])
      expect(section).toContain(`\`${key}\``);
  });
});

/** Lines without the column padding and dash runs Prettier adds to tables, so only content is compared. */
function normalize(markdown: string): string[] {
  return markdown
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-+$/, '---'))
            .join('|')
        : line,
    );
}
