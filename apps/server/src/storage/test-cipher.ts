import { ColumnCipher } from './column-cipher';

// For tests only: a fixed, public key, so stores built in tests seal TOTP secrets like the server
// does. The server and the CLI take their key from config/secret-key.ts, never from here.
export const TEST_SECRET_KEY = 'c0'.repeat(32);

export function testCipher(): ColumnCipher {
  return new ColumnCipher(Buffer.from(TEST_SECRET_KEY, 'hex'));
}
