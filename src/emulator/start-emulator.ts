// Starts the emulator on loopback: used by `npm run emulator`, demo mode and the tests.
import type { AddressInfo } from 'node:net';
import { createEmulatorApp, type EmulatorOptions } from './emulator-app.js';

export interface RunningEmulator extends ReturnType<typeof createEmulatorApp> {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * Port 0 picks a free port. 127.0.0.1 unless told otherwise: the emulator is never meant to be reachable
 * from outside. (Inside a container, another container of the same private network may need to reach it.)
 */
export function startEmulator(
  options: EmulatorOptions,
  port = 0,
  host = '127.0.0.1',
): Promise<RunningEmulator> {
  const emulator = createEmulatorApp(options);
  return new Promise((resolve, reject) => {
    const server = emulator.app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        ...emulator,
        baseUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
