/**
 * AES-256-GCM for every Temporal payload: citizens' data is encrypted before it leaves our
 * processes, so the Temporal server, its database and its Web UI see only ciphertext. A payload is serialized whole (metadata and data), encrypted
 * under the active key with a fresh 96-bit nonce, and sent as `binary/encrypted` with its key id
 * in the metadata; the key id is also authenticated, so a payload cannot be moved to another key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Keyring } from './keyring';

export const ENCODING = 'binary/encrypted';
export const KEY_ID = 'encryption-key-id';
// CommonJS: only its default export works under Node's ESM loader.
const PayloadProto = proto.temporal.api.common.v1.Payload;
const NONCE = 12;
const TAG = 16;

const utf8 = new TextEncoder();
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export const isEncrypted = (p: Payload) => text(p.metadata?.encoding) === ENCODING;

/** Why a payload could not be decrypted. */
export type Refusal = 'unencrypted' | 'unknown-key' | 'tampered';

export class PayloadRefusedError extends Error {
  constructor(
    readonly refusal: Refusal,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadRefusedError';
  }
}

export function encrypt(keyring: Keyring, payload: Payload): Payload {
  const keyId = keyring.active;
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', keyring.keys.get(keyId)!, nonce);
  cipher.setAAD(utf8.encode(keyId));
  const plain = PayloadProto.encode(payload).finish();
  const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return { metadata: { encoding: utf8.encode(ENCODING), [KEY_ID]: utf8.encode(keyId) }, data: sealed };
}

/** Decrypts, or throws a PayloadRefusedError saying why (naming the key id if it is unknown). */
export function decrypt(keyring: Keyring, payload: Payload): Payload {
  if (!isEncrypted(payload)) throw new PayloadRefusedError('unencrypted', 'the payload is not encrypted');
  const keyId = text(payload.metadata?.[KEY_ID]) ?? '';
  const key = keyring.keys.get(keyId);
  if (!key) throw new PayloadRefusedError('unknown-key', `the payload is encrypted under key "${keyId}", which is not in the keyring (PAYLOAD_KEYS)`);
  const data = payload.data ?? new Uint8Array();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE));
    decipher.setAAD(utf8.encode(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG));
    const plain = Buffer.concat([decipher.update(data.subarray(NONCE, data.length - TAG)), decipher.final()]);
    return PayloadProto.decode(plain);
  } catch {
    throw new PayloadRefusedError('tampered', `the payload under key "${keyId}" does not decrypt: altered, or not ours`);
  }
}

/** What the worker hands its workflows instead of a payload it refused: JSON no handler accepts. */
export const refusedPayload = (refusal: Refusal): Payload => ({
  metadata: { encoding: utf8.encode('json/plain') },
  data: utf8.encode(JSON.stringify({ __refused: refusal })),
});

/**
 * The codec. Clients (the API, scripts) decode strictly: a payload they cannot decrypt throws.
 * The worker must never throw (a workflow task that fails to decode retries forever and the
 * pathway stops), so it turns such a payload into the refused marker, which the workflows'
 * interceptor (workflows/refused-payloads.ts) rejects: an Update is refused, a signal ignored,
 * a start fails.
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(
    private readonly keyring: Keyring,
    private readonly onRefused: 'throw' | 'mark',
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => encrypt(this.keyring, p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      try {
        return decrypt(this.keyring, p);
      } catch (err) {
        if (this.onRefused === 'throw' || !(err instanceof PayloadRefusedError)) throw err;
        return refusedPayload(err.refusal);
      }
    });
  }
}
