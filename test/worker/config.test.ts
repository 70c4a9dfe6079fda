import { describe, expect, it } from 'vitest';
import { loadConfig, usesTls } from '../../worker/config';
import { connectionOptions } from '../../worker/connection';
import { defaultCachedWorkflows } from '../../worker/create-worker';

describe('worker configuration', () => {
  it('defaults to the embedded dev server', () => {
    expect(loadConfig({})).toMatchObject({
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'care-pathways',
      TEMPORAL_TLS: false,
    });
  });

  it('names every bad variable and why', () => {
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'https://cluster', TEMPORAL_TLS: 'yes' })).toThrow(
      /TEMPORAL_ADDRESS: expected host:port[\s\S]*TEMPORAL_TLS:/,
    );
  });

  it('needs a client certificate and its key together', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/etc/cert.pem' })).toThrow(/set TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH together/);
  });

  it('turns on TLS for an API key, as a cloud namespace expects', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'k' });
    expect(usesTls(config)).toBe(true);
    expect(connectionOptions(config)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: {}, apiKey: 'k' });
  });

  it('says which certificate file it cannot read', () => {
    const config = loadConfig({ TEMPORAL_TLS_CERT_PATH: '/nonexistent/cert.pem', TEMPORAL_TLS_KEY_PATH: '/nonexistent/key.pem' });
    expect(() => connectionOptions(config)).toThrow(/cannot read the client certificate at \/nonexistent\/cert.pem/);
  });

  it('keeps a cache of half the heap at 256 KiB a pathway, unless told', () => {
    expect(defaultCachedWorkflows(4144)).toBe(8288);
    expect(defaultCachedWorkflows(2)).toBe(10);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(0);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '-1' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });
});
