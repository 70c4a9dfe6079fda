import { accessLogSuite } from './access-log';
import { auditSuite } from './audit';
import type { StoreRef } from './context';
import { migrationsSuite } from './migrations';
import { partnersSuite } from './partners';
import { pathwayRecordsSuite } from './pathway-records';
import { referenceDataSuite } from './reference-data';
import { sessionsSuite } from './sessions';

/** Every query module's tests, against one store: run on PGlite and on PostgreSQL alike. */
export function recordStoreSuites(store: StoreRef) {
  migrationsSuite(store);
  auditSuite(store);
  pathwayRecordsSuite(store);
  referenceDataSuite(store);
  partnersSuite(store);
  accessLogSuite(store);
  sessionsSuite(store);
}
