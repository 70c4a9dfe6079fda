import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import { AesGcmCodec, ENCODING, KEY_ID } from '../../codec/aes-codec';
import { embeddedKeyFile, keyringFrom, loadKeyring } from '../../codec/keyring';
import { ensurePrivateDir, tightenFiles } from '../../config/private-files';

const dir = mkdtempSync(join(tmpdir(), 'pathways-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = () => randomBytes(32).toString('base64');
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const ring = keyringFrom({ old: key(), new: key() }, 'new', 'test');
const note = defaultPayloadConverter.toPayload({ text: 'KANARIEFUGL visited' });

describe('the payload codec', () => {
  it('encrypts under the active key, names it in the metadata, and decrypts back', async () => {
    const [sealed] = await new AesGcmCodec(ring, 'throw').encode([note]);
    expect(text(sealed!.metadata![`encoding`])).toBe(ENCODING);
    expect(text(sealed!.metadata![KEY_ID])).toBe('new');
    expect(Buffer.from(sealed!.data!).includes('KANARIEFUGL')).toBe(false);
    const [opened] = await new AesGcmCodec(ring, 'throw').decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ text: 'KANARIEFUGL visited' });
  });

  it('decodes old payloads under their own key after rotation', async () => {
    const before = keyringFrom({ old: ring.keys.get('old')!.toString('base64') }, undefined, 'test');
    const [sealed] = await new AesGcmCodec(before, 'throw').encode([note]);
    const [opened] = await new AesGcmCodec(ring, 'throw').decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ text: 'KANARIEFUGL visited' });
  });

  it('in a client, refuses what it cannot decrypt, naming a missing key id', async () => {
    const strict = new AesGcmCodec(ring, 'throw');
    await expect(strict.decode([note])).rejects.toThrow('not encrypted');
    const [sealed] = await new AesGcmCodec(keyringFrom({ gone: key() }, undefined, 'test'), 'throw').encode([note]);
    await expect(strict.decode([sealed!])).rejects.toThrow('key "gone", which is not in the keyring');
    const tampered = { ...sealed!, metadata: { ...sealed!.metadata, [KEY_ID]: new TextEncoder().encode('old') } };
    await expect(strict.decode([tampered])).rejects.toThrow('does not decrypt');
  });

  it('in the worker, turns what it cannot decrypt into the refused marker instead of throwing', async () => {
    const lenient = new AesGcmCodec(ring, 'mark');
    const [forged] = await lenient.decode([note]);
    expect(defaultPayloadConverter.fromPayload(forged!)).toEqual({ __refused: 'unencrypted' });
    const [sealed] = await new AesGcmCodec(ring, 'throw').encode([note]);
    const flipped = new Uint8Array(sealed!.data!);
    flipped[20] = flipped[20]! ^ 1;
    const [altered] = await lenient.decode([{ ...sealed!, data: flipped }]);
    expect(defaultPayloadConverter.fromPayload(altered!)).toEqual({ __refused: 'tampered' });
  });
});

describe('the keyring', () => {
  it('names the key id in every complaint', () => {
    expect(() => keyringFrom({ k1: key() }, 'k9', 'PAYLOAD_KEYS')).toThrow('the active payload key "k9" is not in PAYLOAD_KEYS');
    expect(() => keyringFrom({ short: Buffer.alloc(16).toString('base64') }, undefined, 'PAYLOAD_KEYS')).toThrow('key "short" must be 32 bytes');
    expect(() => keyringFrom({ a: key(), b: key() }, undefined, 'PAYLOAD_KEYS')).toThrow('set PAYLOAD_ACTIVE_KEY');
    expect(() => loadKeyring({ PAYLOAD_KEYS: join(dir, 'nowhere.json') }, { dataDir: dir })).toThrow(`cannot read the payload keys at ${join(dir, 'nowhere.json')}`);
  });

  it('reads inline JSON or a file, and PAYLOAD_ACTIVE_KEY picks the active key', () => {
    const keys = { a: key(), b: key() };
    expect(loadKeyring({ PAYLOAD_KEYS: JSON.stringify(keys), PAYLOAD_ACTIVE_KEY: 'b' }, { dataDir: dir }).active).toBe('b');
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ active: 'a', keys }));
    expect(loadKeyring({ PAYLOAD_KEYS: join(dir, 'keys.json') }, { dataDir: dir }).active).toBe('a');
  });

  it('is generated once, in a 0700 data directory as a 0600 file, only where asked', () => {
    const data = join(dir, 'data');
    expect(() => loadKeyring({}, { dataDir: data })).toThrow('no payload keys: set PAYLOAD_KEYS');
    const first = loadKeyring({}, { dataDir: data, generate: true });
    expect(mode(data)).toBe('700');
    expect(mode(embeddedKeyFile(data))).toBe('600');
    const again = loadKeyring({}, { dataDir: data, generate: true });
    expect(again.active).toBe(first.active);
    expect(again.keys.get(again.active)).toEqual(first.keys.get(first.active));
    expect(readFileSync(embeddedKeyFile(data), 'utf8')).toContain(first.active);
  });

  it('data/ left readable by an older version is made private', () => {
    const old = join(dir, 'old-data');
    mkdirSync(old, { mode: 0o755 });
    writeFileSync(join(old, 'temporal.db'), 'x', { mode: 0o644 });
    chmodSync(old, 0o755);
    ensurePrivateDir(old);
    tightenFiles(old);
    expect([mode(old), mode(join(old, 'temporal.db'))]).toEqual(['700', '600']);
  });
});
