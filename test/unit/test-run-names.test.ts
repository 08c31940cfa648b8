import { describe, expect, it } from 'vitest';
import { madeByRun, newTestRunToken } from '../setup/test-run';
import { uniqueName } from '../support/cluster';

describe("the test run's names, which its global teardown deletes", () => {
  it('uniqueName carries the run token; madeByRun finds it, in sandbox names too', () => {
    const token = newTestRunToken();
    const base = uniqueName('replay', token);
    expect(base).toMatch(new RegExp(`^replay-${token}-[0-9a-f]{6}$`));
    expect(madeByRun(`${base}.raw`, token)).toBe(true);
    expect(madeByRun(`${base}.enriched-value`, token)).toBe(true);
    expect(madeByRun(`${uniqueName('sbb', token)}.${base}.raw-value`, token)).toBe(true);
  });

  it("never matches another run's names, nor names no test made", () => {
    const [mine, theirs] = [newTestRunToken(), newTestRunToken()];
    expect(mine).not.toBe(theirs);
    expect(madeByRun(`${uniqueName('audit', theirs)}.raw`, mine)).toBe(false);
    for (const name of ['call-attempts.raw', 'call-attempts.raw-value', 'sipflow-processor', `x${mine}`])
      expect(madeByRun(name, mine)).toBe(false);
  });
});
