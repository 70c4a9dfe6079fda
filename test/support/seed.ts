import fc from 'fast-check';

/** One seed per run, printed, so a failing property can be replayed with FC_SEED=<seed>. */
export const seed = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);
console.log(`fast-check seed ${seed} (replay with FC_SEED=${seed})`);
fc.configureGlobal({ seed });
