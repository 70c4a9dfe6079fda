import type { Records } from '../../../records';

/** The store a suite runs against; opened by the test file, once per file. */
export type StoreRef = () => Records;

let counter = 0;
/** A fresh id for one test, so tests sharing a database never see each other's rows. */
export const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;
