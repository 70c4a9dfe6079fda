import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * machines/ and workflows/ run inside Temporal's deterministic sandbox (and machines/ in the
 * browser): they may import only pure libraries and each other, never Node or I/O.
 */
const allowed: Record<string, RegExp> = {
  machines: /^(xstate|zod|\.\/.*)$/,
  workflows: /^(xstate|zod|@temporalio\/(workflow|common)|\.\.?\/.*)$/,
};

const importsOf = (source: string) => [...source.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

describe('workflow-safe imports', () => {
  for (const [folder, pattern] of Object.entries(allowed)) {
    const files = readdirSync(folder).filter((f) => f.endsWith('.ts'));
    it.each(files)(`${folder}/%s imports only sandbox-safe modules`, (file) => {
      const imports = importsOf(readFileSync(`${folder}/${file}`, 'utf8'));
      const bad = imports.filter((i) => !pattern.test(i) || (folder === 'workflows' && i.startsWith('../') && !/^\.\.\/(machines|activities\/[\w-]+)$/.test(i)));
      expect(bad).toEqual([]);
    });
  }

  it('machines and workflows keep no state of their own at module level: every cached workflow shares them', () => {
    for (const folder of Object.keys(allowed)) {
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts'))) {
        expect(readFileSync(`${folder}/${file}`, 'utf8'), `${folder}/${file}`).not.toMatch(/^(export )?(let|var) /m);
      }
    }
  });

  it('workflows import activities as types only', () => {
    for (const file of readdirSync('workflows')) {
      const source = readFileSync(`workflows/${file}`, 'utf8');
      expect(source, file).not.toMatch(/^import\s+(?!type)[^;]*from\s+['"]\.\.\/activities/m);
    }
  });
});
