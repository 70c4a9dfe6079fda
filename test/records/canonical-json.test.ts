import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../../records/canonical-json';

describe('canonical JSON', () => {
  test('sorts keys at every level and leaves arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
  test('the same value in another key order gives the same text', () => {
    expect(canonicalJson({ x: 'å', y: [true, 1.5] })).toBe(canonicalJson({ y: [true, 1.5], x: 'å' }));
  });
  test('leaves out undefined members as JSON does, writes undefined array items as null, dates as ISO', () => {
    expect(canonicalJson({ a: undefined, b: [undefined], c: new Date(Date.UTC(2026, 0, 1)) })).toBe('{"b":[null],"c":"2026-01-01T00:00:00.000Z"}');
  });
  test('refuses what JSON cannot carry', () => {
    expect(() => canonicalJson(undefined)).toThrow(/cannot encode undefined/);
  });
});
