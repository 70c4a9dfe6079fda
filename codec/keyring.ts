/**
 * The payload keys: id to 32-byte AES key, one of them active (new payloads are encrypted
 * under it). Old keys stay in the ring so old payloads, which name their key id, still decode:
 * rotating means adding a key and making it active, never removing one that histories use.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config/env';
import { ensurePrivateDir } from '../config/private-files';

export interface Keyring {
  /** The key new payloads are encrypted under; always one of `keys`. */
  readonly active: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

const KeyIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a key id is 1-64 letters, digits, ".", "_" or "-"');
const KeysSchema = z.record(z.string(), z.string());
/** `{ "k1": "<base64>" }`, or `{ "active": "k1", "keys": { ... } }` as the generated file has it. */
const FileSchema = z.union([z.object({ active: KeyIdSchema.optional(), keys: KeysSchema }).strict(), KeysSchema]);

const isWrapped = (d: z.infer<typeof FileSchema>): d is { active?: string; keys: Record<string, string> } => typeof d.keys === 'object';

/** Builds a keyring from parsed JSON, naming the key id in every complaint. */
export function keyringFrom(json: unknown, activeOverride: string | undefined, source: string): Keyring {
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${source}: expected {"<key id>": "<base64 of 32 bytes>", ...}`);
  const data = parsed.data;
  const shaped: { active?: string | undefined; keys: Record<string, string> } = isWrapped(data) ? data : { keys: data };
  const keys = new Map<string, Buffer>();
  for (const [id, b64] of Object.entries(shaped.keys)) {
    if (!KeyIdSchema.safeParse(id).success) throw new ConfigError(`${source}: key id "${id}" is not valid (1-64 letters, digits, ".", "_" or "-")`);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32 || key.toString('base64') !== b64.replace(/\s/g, '')) {
      throw new ConfigError(`${source}: key "${id}" must be 32 bytes in base64 (it decodes to ${key.length})`);
    }
    keys.set(id, key);
  }
  if (keys.size === 0) throw new ConfigError(`${source}: no keys`);
  const active = activeOverride ?? shaped.active ?? (keys.size === 1 ? [...keys.keys()][0]! : undefined);
  if (!active) throw new ConfigError(`${source} holds ${keys.size} keys: set PAYLOAD_ACTIVE_KEY to the one new payloads use`);
  if (!keys.has(active)) throw new ConfigError(`the active payload key "${active}" is not in ${source} (it holds ${[...keys.keys()].join(', ')})`);
  return { active, keys };
}

function readKeyFile(path: string, activeOverride: string | undefined): Keyring {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the payload keys at ${path}: ${(err as Error).message}`);
  }
  return keyringFrom(parseJson(text, path), activeOverride, path);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(`${source} is not valid JSON`);
  }
}

export interface KeyringSource {
  /** PAYLOAD_KEYS: a path to a JSON file, or the JSON itself (starting with "{"). */
  PAYLOAD_KEYS?: string | undefined;
  PAYLOAD_ACTIVE_KEY?: string | undefined;
}

/** The file the embedded default keeps its generated key in. */
export const embeddedKeyFile = (dataDir: string) => join(dataDir, 'payload-keys.json');

/**
 * The keyring from PAYLOAD_KEYS, else from `<dataDir>/payload-keys.json`; with `generate`
 * (the embedded `npm start`), that file is created with one fresh key on first start.
 */
export function loadKeyring(env: KeyringSource, o: { dataDir: string; generate?: boolean }): Keyring {
  const active = env.PAYLOAD_ACTIVE_KEY || undefined;
  const keys = env.PAYLOAD_KEYS?.trim();
  if (keys) return keys.startsWith('{') ? keyringFrom(parseJson(keys, 'PAYLOAD_KEYS'), active, 'PAYLOAD_KEYS') : readKeyFile(keys, active);
  const file = embeddedKeyFile(o.dataDir);
  if (!existsSync(file)) {
    if (!o.generate) throw new ConfigError(`no payload keys: set PAYLOAD_KEYS (a JSON file or inline JSON mapping key ids to 32-byte base64 keys), or start once with \`npm start\` to generate ${file}`);
    generateKeyFile(file, o.dataDir);
  }
  return readKeyFile(file, active);
}

/** The keyring as a process configured by its environment finds it (DATA_DIR as for the API). */
export const keyringFromEnv = (env: Record<string, string | undefined> = process.env, generate = false): Keyring =>
  loadKeyring(env, { dataDir: env.DATA_DIR || 'data', generate });

/** Writes a new keyring with one random key, readable by its owner only. */
export function generateKeyFile(file: string, dataDir: string): void {
  ensurePrivateDir(dataDir);
  const id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
  writeFileSync(file, `${JSON.stringify({ active: id, keys: { [id]: randomBytes(32).toString('base64') } }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
}
