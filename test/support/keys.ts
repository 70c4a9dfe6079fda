import { loadKeyring, type Keyring } from '../../codec/keyring';

/** The fixed test key (committed: it protects nothing): every test client and worker encrypts with it. */
export const testKeyFile = new URL('../histories/test-keyring.json', import.meta.url).pathname;
export const testKeyring: Keyring = loadKeyring({ PAYLOAD_KEYS: testKeyFile }, { dataDir: '' });
