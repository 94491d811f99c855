// The container's HEALTHCHECK (`node dist/healthcheck.js`): exit 0 when /healthz answers 200 within 2 s.
// Node's own fetch, so the image needs no curl.
const port = process.env['PORT'] || '3000';

fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) })
  .then((response) => {
    process.exitCode = response.ok ? 0 : 1;
  })
  .catch(() => {
    process.exitCode = 1;
  });
