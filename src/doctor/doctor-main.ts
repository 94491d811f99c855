// `npm run doctor` entry point: read the environment the app would read, run the checks, print, exit 0 only
// when every check passed.
import { config as loadDotenv } from 'dotenv';
import { doctorExitCode, formatReport, runDoctor } from './doctor.js';

async function main() {
  loadDotenv({ quiet: true });
  const results = await runDoctor(process.env);
  process.stdout.write(formatReport(results));
  process.exitCode = doctorExitCode(results);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The doctor itself failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 2;
});
