// Waits for a condition that another part of the system makes true (a log line, a queued write), checking
// it between turns of the event loop. Synchronisation on the condition itself, never a fixed sleep.
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error('waitFor: the condition did not become true in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
