import { describe, expect, it } from 'vitest';
import { classified as c } from '@sipflow/pipeline';
import { OutcomeDiff } from '../src/outcome-diff';

describe('OutcomeDiff', () => {
  it('counts transitions per (recorded → replayed) outcome with up to 3 examples, and the unchanged', () => {
    const diff = new OutcomeDiff();
    for (let i = 0; i < 5; i++) diff.expect(`busy-${i}`, c('NO_ANSWER', 'RETRY'));
    diff.expect('ok', c('CONNECTED', 'NONE'));
    diff.expect('blocked', c('BLOCKED', 'COMPLIANCE_ALERT'));
    diff.expect('missing', c('CONNECTED', 'NONE'));

    for (let i = 0; i < 5; i++) diff.recorded(`busy-${i}`, c('BUSY', 'RETRY'));
    diff.recorded('ok', c('CONNECTED', 'NONE'));
    diff.recorded('blocked', c('FAILED', 'NONE'));
    diff.recorded('not-in-window', c('BUSY', 'RETRY')); // ignored
    diff.recorded('ok', c('BUSY', 'RETRY')); // a later duplicate: ignored

    expect(diff.report()).toEqual({
      compared: 7,
      unchanged: 1,
      changed: 6,
      notRecorded: 1,
      transitions: [
        { from: 'BUSY RETRY', to: 'NO_ANSWER RETRY', count: 5, examples: ['busy-0', 'busy-1', 'busy-2'] },
        { from: 'FAILED NONE', to: 'BLOCKED COMPLIANCE_ALERT', count: 1, examples: ['blocked'] },
      ],
      retryTimes: { changed: 0, byWindow: [] },
    });
  });

  it('keeps the first replayed outcome of an event seen twice', () => {
    const diff = new OutcomeDiff();
    diff.expect('e', c('BUSY', 'RETRY'));
    diff.expect('e', c('CONNECTED', 'NONE'));
    expect(diff.waiting).toBe(1);
    diff.recorded('e', c('BUSY', 'RETRY'));
    expect(diff.report()).toMatchObject({ compared: 1, unchanged: 1, transitions: [] });
    expect(diff.awaits('e')).toBe(false);
  });
});

describe('OutcomeDiff: retry times', () => {
  it('counts retries that keep their outcome but move, by the window that now sets the time', () => {
    const diff = new OutcomeDiff();
    const retry = c('NO_ANSWER', 'RETRY');
    diff.expect('a', retry, 2_000, 'US-FL 08:00–20:00 (Fla. Stat. § 501.616(6)(a))');
    diff.expect('b', retry, 3_000, null);
    diff.expect('c', retry, 4_000, null);
    diff.recorded('a', retry, 1_000); // moved by Florida's window
    diff.recorded('b', retry, 2_500); // moved back: no window sets it now
    diff.recorded('c', retry, 4_000); // unchanged
    expect(diff.report()).toMatchObject({
      compared: 3,
      unchanged: 3,
      changed: 0,
      retryTimes: {
        changed: 2,
        byWindow: [
          { to: 'no window', count: 1, examples: ['b'] },
          { to: 'US-FL 08:00–20:00 (Fla. Stat. § 501.616(6)(a))', count: 1, examples: ['a'] },
        ],
      },
    });
  });
});
