import { describe, expect, it } from 'vitest';
import { runEndingPause } from '../../ui/server/pathway-lookup';

describe('the pause before an action a run refused while ending is sent again', () => {
  it('starts at 10 ms, about one write of the run, and doubles up to 200 ms', () => {
    expect(Array.from({ length: 7 }, (_, i) => runEndingPause(i))).toEqual([10, 20, 40, 80, 160, 200, 200]);
  });
});
