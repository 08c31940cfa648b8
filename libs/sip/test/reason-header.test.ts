import { describe, expect, it } from 'vitest';
import { q850CauseFromReasonHeader } from '@sipflow/sip';

describe('Reason header (RFC 3326, in responses per RFC 6432)', () => {
  it.each([
    ['Q.850;cause=34;text="No circuit/channel available"', 34],
    ['Q.850 ; cause = 17', 17],
    ['q.850;CAUSE=16', 16],
    ['SIP;cause=200;text="Call completed elsewhere", Q.850;cause=31', 31],
    ['Q.850;text="busy, really; very";cause=17', 17],
  ])('%s → %i', (header, cause) => {
    expect(q850CauseFromReasonHeader(header)).toBe(cause);
  });

  it.each([
    ['SIP;cause=486', 'no Q.850 reason'],
    ['Q.850;text="x"', 'no cause parameter'],
    ['Q.850;cause=999', 'cause out of range'],
    ['', 'empty header'],
  ])('%s → null (%s)', (header) => {
    expect(q850CauseFromReasonHeader(header)).toBeNull();
  });
});
