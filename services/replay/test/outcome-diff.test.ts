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
