// Tokens are encrypted before they reach the session store (memory or Redis), so a dump of the store holds
// no usable token. AES-256-GCM with a random 96-bit IV; several keys for rotation: the first encrypts,
// each sealed value names its key, and any listed key may decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const AAD = Buffer.from('rcapp-session-tokens-v1');

export interface TokenVault {
  seal(value: unknown): string;
  /** The decrypted value, or undefined when the key is gone or the value was tampered with. */
  open(sealed: string): unknown;
  /** True when the value is in our format and names a configured key. Cheap: decrypts nothing. */
  canOpen(sealed: string): boolean;
}

export function createTokenVault(base64urlKeys: readonly string[]): TokenVault {
  const keys = base64urlKeys.map((key) => {
    const bytes = Buffer.from(key, 'base64url');
    return { id: createHash('sha256').update(bytes).digest('base64url').slice(0, 8), bytes };
  });
  const writer = keys[0];
  if (writer === undefined || keys.some((key) => key.bytes.length !== 32))
    throw new Error('token keys must be 32 bytes');

  return {
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', writer.bytes, iv).setAAD(AAD);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return [
        VERSION,
        writer.id,
        iv.toString('base64url'),
        body.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
      ].join('.');
    },

    canOpen(sealed) {
      const [version, keyId] = sealed.split('.', 2);
      return version === VERSION && keys.some((candidate) => candidate.id === keyId);
    },

    open(sealed) {
      const [version, keyId, iv, body, tag] = sealed.split('.');
      const key = keys.find((candidate) => candidate.id === keyId);
      if (
        version !== VERSION ||
        key === undefined ||
        iv === undefined ||
        body === undefined ||
        tag === undefined
      )
        return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url')).setAAD(AAD);
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
        return JSON.parse(plain.toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}
