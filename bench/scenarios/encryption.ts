import type { Bench } from '../context';
import { startPathway } from '../drive';
import { summarize, timed } from '../stats';

/**
 * The same round trip with payloads encrypted (the harness's worker and client, as production
 * runs) and without (a second pathway worker on its own queue, and a client without the codec),
 * on the same server in one run. Sides alternate in short rounds so drift in the shared
 * machine's load falls on both.
 */
export async function encryption(b: Bench): Promise<void> {
  const { client, plainClient, pathwayQueue, plainPathwayQueue } = b.h;
  for (const clients of b.sizes.BENCH_CLIENTS) {
    const start = (c: typeof client, queue: string, tag: string) =>
      Promise.all(Array.from({ length: clients }, (_, i) => startPathway(c, queue, `enc-${tag}${clients}-${i}`)));
    const sides = { encrypted: await start(client, pathwayQueue, 'on'), plain: await start(plainClient, plainPathwayQueue, 'off') };
    const samples = { encrypted: [] as number[], plain: [] as number[] };
    const done = { encrypted: 0, plain: 0 };
    for (const d of [...sides.encrypted, ...sides.plain]) for (let i = 0; i < 3; i++) await d.act(); // warm
    const rounds = 4;
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 === 0 ? (['plain', 'encrypted'] as const) : (['encrypted', 'plain'] as const)) {
        const until = performance.now() + (b.sizes.BENCH_SECONDS * 1000) / rounds;
        await Promise.all(
          sides[side].map(async (d) => {
            while (performance.now() < until) {
              samples[side].push((await timed(() => d.act()))[0]);
              done[side] += 1;
            }
          }),
        );
      }
    }
    const seconds = b.sizes.BENCH_SECONDS;
    const [on, off] = [summarize(samples.encrypted), summarize(samples.plain)];
    const section = `encryption, ${clients} client${clients === 1 ? '' : 's'}`;
    const baseline = (value: number) => ({ label: 'same, payloads not encrypted', value });
    b.log(`  ${clients} clients: p50 ${on.p50.toFixed(1)} ms encrypted against ${off.p50.toFixed(1)} ms plain`);
    b.add({ section, measure: 'round trip p50', value: on.p50, unit: 'ms', better: 'lower', baseline: baseline(off.p50), target: 1.1 });
    b.add({ section, measure: 'round trip p95', value: on.p95, unit: 'ms', better: 'lower', baseline: baseline(off.p95) });
    b.add({ section, measure: 'sustained transitions per second', value: done.encrypted / seconds, unit: '/s', better: 'higher', baseline: baseline(done.plain / seconds) });
  }
}
