import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, usesTls, type Config } from './config';

const read = (path: string, what: string) => {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`cannot read the ${what} at ${path}: ${(err as Error).message}`);
  }
};

/** Connection options shared by the worker (NativeConnection) and clients (Connection). */
export function connectionOptions(c: Config): { address: string; tls?: TLSConfig | boolean; apiKey?: string } {
  const tls: TLSConfig | undefined = usesTls(c)
    ? {
        ...(c.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: c.TEMPORAL_TLS_SERVER_NAME } : {}),
        ...(c.TEMPORAL_TLS_CA_PATH ? { serverRootCACertificate: read(c.TEMPORAL_TLS_CA_PATH, 'CA certificate') } : {}),
        ...(c.TEMPORAL_TLS_CERT_PATH && c.TEMPORAL_TLS_KEY_PATH
          ? { clientCertPair: { crt: read(c.TEMPORAL_TLS_CERT_PATH, 'client certificate'), key: read(c.TEMPORAL_TLS_KEY_PATH, 'client key') } }
          : {}),
      }
    : undefined;
  return {
    address: c.TEMPORAL_ADDRESS,
    ...(tls ? { tls } : {}),
    ...(c.TEMPORAL_API_KEY ? { apiKey: c.TEMPORAL_API_KEY } : {}),
  };
}
