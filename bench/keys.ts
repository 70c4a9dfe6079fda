import { randomBytes } from 'node:crypto';
import { keyringFrom } from '../codec/keyring';

/** A fresh key for this bench run, handed to its worker processes as PAYLOAD_KEYS. */
export const benchPayloadKeys = JSON.stringify({ active: 'bench', keys: { bench: randomBytes(32).toString('base64') } });
export const benchKeyring = keyringFrom(JSON.parse(benchPayloadKeys), undefined, 'the bench keys');
