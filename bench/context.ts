import type { Sizes } from './config';
import type { Harness } from './harness';
import type { Row } from './report';

/** What every scenario gets: the running system, the sizes, and somewhere to put its figures. */
export interface Bench {
  h: Harness;
  sizes: Sizes;
  add(row: Row): void;
  log(message: string): void;
}
