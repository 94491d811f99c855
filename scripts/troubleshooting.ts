// Renders the README's Troubleshooting tables from the error catalog, so the two cannot drift apart
// (test/unit/readme-troubleshooting.test.ts fails when README.md was not regenerated with `npm run docs`).
import { FLOW_ERRORS, PROVIDER_ERRORS, type CatalogEntry } from '../src/errors/error-catalog.js';

export const START_MARKER =
  '<!-- troubleshooting:start (generated from src/errors/error-catalog.ts by `npm run docs`: edit the catalog, not this table) -->';
export const END_MARKER = '<!-- troubleshooting:end -->';

export function renderTroubleshooting(): string {
  return [
    '### What RingCentral answers',
    '',
    table(Object.entries(PROVIDER_ERRORS)),
    '',
    '### What this app reports',
    '',
    table(Object.entries(FLOW_ERRORS)),
    '',
  ].join('\n');
}

function table(entries: [string, CatalogEntry][]): string {
  const rows = entries.map(
    ([key, entry]) =>
      `| **${cell(entry.title)}**<br>\`${key}\` | ${cell(entry.symptom)} | ${entry.causes.map(cell).join('<br>')} | ${cell(entry.fix)} [Docs](${entry.docs}) |`,
  );
  return ['| Error | Symptom | Likely cause | Fix |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** README text with the section between the markers replaced. */
export function replaceTroubleshooting(readme: string, section: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end < start)
    throw new Error(`README.md lacks the ${START_MARKER} ... ${END_MARKER} markers`);
  return `${readme.slice(0, start + START_MARKER.length)}\n\n${section}\n${readme.slice(end)}`;
}

/** The section currently between the markers. */
export function extractTroubleshooting(readme: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  return start === -1 || end < start ? '' : readme.slice(start + START_MARKER.length, end).trim();
}
