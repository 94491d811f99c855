// How guessable a secret is: the Shannon entropy of its characters times its length. A rough estimate, but
// it catches what people actually paste ("a" × 32, a word repeated, a short pattern). Used by the config
// (production refuses a guessable SESSION_SECRET) and by the doctor (which says the same in development).

/** Estimated bits below which a session secret is guessable. */
export const MIN_SECRET_BITS = 128;

export function estimateSecretBits(secret: string): number {
  const counts = new Map<string, number>();
  for (const char of secret) counts.set(char, (counts.get(char) ?? 0) + 1);
  let perChar = 0;
  for (const count of counts.values()) perChar -= (count / secret.length) * Math.log2(count / secret.length);
  return perChar * secret.length;
}
