/** The data converters every process that talks to Temporal uses; see aes-codec.ts for why two. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-codec';
import type { Keyring } from './keyring';

/** Loaded by path: by the workflow bundler into the sandbox, and by the SDK for activities and clients. */
export const failureConverterPath = new URL('./failure-converter.cjs', import.meta.url).pathname;

/** For clients (API, scripts, tests): a payload that does not decrypt is an error. */
export const clientDataConverter = (keyring: Keyring): DataConverter => ({
  payloadCodecs: [new AesGcmCodec(keyring, 'throw')],
  failureConverterPath,
});

/** For the worker: a payload that does not decrypt reaches the workflow as the refused marker. */
export const workerDataConverter = (keyring: Keyring): DataConverter => ({
  payloadCodecs: [new AesGcmCodec(keyring, 'mark')],
  failureConverterPath,
});
