import { describe, expect, it } from 'vitest';
import { faultHookFromSpec } from '../src/fault-hook';

describe('SIPFLOW_TEST_FAULT', () => {
  it('pause:MS:POINT@N freezes the whole thread at that point of that batch only', () => {
    const hook = faultHookFromSpec('pause:300:after-outputs@2,before-outputs@3')!;
    const frozen = (point: Parameters<typeof hook.at>[0], batch: number) => {
      const started = performance.now();
      hook.at(point, batch);
      return performance.now() - started;
    };
    expect(hook.batchStarted()).toBe(1);
    expect(frozen('after-outputs', 1)).toBeLessThan(100);
    expect(hook.batchStarted()).toBe(2);
    expect(frozen('before-outputs', 2)).toBeLessThan(100);
    expect(frozen('after-outputs', 2)).toBeGreaterThanOrEqual(290);
    expect(frozen('before-outputs', 3)).toBeGreaterThanOrEqual(290);
  });

  it('names the variable and the forms it takes when the spec is wrong', () => {
    expect(() => faultHookFromSpec('pause:10:in-the-middle@1')).toThrow(
      /SIPFLOW_TEST_FAULT.*pause:MS:POINT@N/,
    );
    expect(() => faultHookFromSpec('kill-after-outputs:0')).toThrow(/kill-after-outputs:N/);
  });
});
