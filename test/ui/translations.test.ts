import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { commandSchemas, commandTypes, flagNames, RoleSchema, stages, type DeadlineKind } from '../../machines';
import { names } from '../../ui/web/src/names';
import { workflowFlags } from '../../workflows/messages';

/** Every kind of deadline; the record type makes a new kind fail to compile until it is listed. */
const deadlineKinds: Record<DeadlineKind, true> = {
  'no-contact': true, 'stage-overdue': true, 'handoff-reminder': true, 'handoff-overdue': true, 'stay-reminder': true,
  'stay-limit-near': true, 'stay-limit': true, 'discharge-planning': true, 'hospital-hold': true, 'follow-up-due': true,
  'review-reminder': true, 'review-due': true, 'yearly-review': true, 'safety-review': true, 'partner-reminder': true, 'partner-due': true,
};

/** The fields of each command and the options of its choices: what a form shows and the trail repeats. */
function formWords(): string[] {
  return commandTypes.flatMap((type) =>
    Object.entries(commandSchemas[type].shape as Record<string, z.ZodType>).flatMap(([field, schema]) => {
      if (field === 'type') return [];
      const inner = schema.def.type === 'optional' ? (schema.def as unknown as { innerType: z.ZodType }).innerType : schema;
      return inner.def.type === 'enum' ? [field, ...(inner as unknown as { options: string[] }).options] : [field];
    }),
  );
}

describe('the UI’s names', () => {
  const words = [
    ...stages,
    ...commandTypes,
    ...flagNames,
    ...workflowFlags,
    ...Object.keys(deadlineKinds),
    ...RoleSchema.options.filter((r) => r !== 'system'),
    // What the engine itself writes into the trail.
    'pathway.start', 'deadline.passed', 'place.grant', 'place.released', 'notice.undeliverable',
    ...formWords(),
  ];

  it.each(['da', 'en'] as const)('name every stage, action, field, option, flag, deadline and role in %s', (lang) => {
    expect([...new Set(words)].filter((w) => !names[lang][w])).toEqual([]);
  });

  it('differ between Danish and English where the word is not the same in both', () => {
    // An untranslated word shows here: the Danish table holding the English text.
    const same = [...new Set(words)].filter((w) => names.da[w] === names.en[w]).sort();
    expect(same).toEqual(['admin', 'normal', 'note']);
  });
});
