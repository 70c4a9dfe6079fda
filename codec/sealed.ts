/**
 * Citizens' words in the record store (audit entries' notes and reasons, the citizen reference)
 * are sealed with the same payload codec as everything sent to Temporal: AES-256-GCM under the
 * keyring's active key, the key id inside, so rotation works as it does for payloads. What
 * reports count (stages, dates, teams) stays plain. A value written before sealing existed
 * opens as it is.
 */
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

// CommonJS: only its default export works under Node's ESM loader.
const PayloadProto = proto.temporal.api.common.v1.Payload;
const PREFIX = 'sealed:v1:';

export interface Sealer {
  seal(value: unknown): Promise<string>;
  /** The value `seal` was given; anything not sealed as it is. */
  open(stored: unknown): Promise<unknown>;
}

export const isSealed = (v: unknown): v is string => typeof v === 'string' && v.startsWith(PREFIX);

/** A sealer over `codecs` (a client's or worker's, encryption included), applied as for payloads. */
export function sealerOf(codecs: readonly PayloadCodec[]): Sealer {
  return {
    async seal(value) {
      let payloads: Payload[] = [defaultPayloadConverter.toPayload(value)];
      for (const codec of codecs) payloads = await codec.encode(payloads);
      return PREFIX + Buffer.from(PayloadProto.encode(payloads[0]!).finish()).toString('base64');
    },
    async open(stored) {
      if (!isSealed(stored)) return stored;
      let payloads: Payload[] = [PayloadProto.decode(Buffer.from(stored.slice(PREFIX.length), 'base64'))];
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      return defaultPayloadConverter.fromPayload(payloads[0]!);
    },
  };
}
