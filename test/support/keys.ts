import { clientDataConverter } from '../../codec/data-converter';
import { loadKeyring, type Keyring } from '../../codec/keyring';
import { sealerOf } from '../../codec/sealed';

/** The fixed test key (committed: it protects nothing): every test client and worker encrypts with it. */
export const testKeyFile = new URL('../histories/test-keyring.json', import.meta.url).pathname;
export const testKeyring: Keyring = loadKeyring({ PAYLOAD_KEYS: testKeyFile }, { dataDir: '' });

/** Opens what the record store sealed under the test key (codec/sealed.ts): audit entries' details as written. */
export const testSealer = sealerOf(clientDataConverter(testKeyring).payloadCodecs ?? []);
type Opened<E> = Omit<E, 'details'> & { details?: Record<string, unknown> };
export const openedDetails = async <E extends { details?: unknown }>(entries: E[]): Promise<Opened<E>[]> =>
  Promise.all(entries.map(async (e) => ({ ...e, details: e.details === undefined ? undefined : ((await testSealer.open(e.details)) as Record<string, unknown>) })));
