/**
 * `npm run access-log -- verify`: walks the access log's hash chain and reports the first entry
 * that does not follow from the one before (changed, removed or inserted), exiting 1; or that it
 * is intact, with its length. With the embedded store, run it while `npm start` is stopped.
 */
import { ConfigError } from '../config/env';
import { describeTarget, openRecords, recordsTargetOf, verifyAccessLogChain } from '../records';

const problems = {
  'hash-mismatch': 'the entry was changed after it was written',
  'prev-hash-mismatch': 'the entry before it was removed, or this one inserted',
  'head-mismatch': 'entries were removed from the end, or the head was changed',
} as const;

async function main() {
  const [command] = process.argv.slice(2);
  if (command !== 'verify') throw new ConfigError('usage: npm run access-log -- verify');
  const target = recordsTargetOf();
  const records = await openRecords(target);
  try {
    const broken = await verifyAccessLogChain(records.db);
    const { n } = await records.db.selectFrom('access_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const store = describeTarget(target);
    if (broken) {
      console.log(JSON.stringify({ msg: 'access log broken', store, entries: Number(n), firstBroken: broken.id, problem: broken.problem, meaning: problems[broken.problem] }));
      process.exitCode = 1;
    } else {
      console.log(JSON.stringify({ msg: 'access log intact', store, entries: Number(n) }));
    }
  } finally {
    await records.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
