import type { CallAttempt } from '@sipflow/codec';
import { attemptOf, defaultRules, eventKey } from '@sipflow/rules';
import { describe, expect, it } from 'vitest';
import { attempt } from '../../../test/support/call-attempt';
import { auditFailures, auditRecords } from '../src/audit-core';
import type { AuditRetry } from '../src/cap-audit';
import { NumberCalls } from '../src/number-calls';

const HOUR = 3_600_000;
const FIRST = Date.parse('2026-06-10T14:00:00Z'); // 10:00 in Miami
const FLORIDA = '+13055550123'; // Fla. Stat. § 501.616(6)(b): at most 3 calls per 24 h

/** Calls to one Florida number an hour apart, each from its own lead. */
function floridaCalls(count: number): CallAttempt[] {
  return Array.from({ length: count }, (_, i) =>
    attempt({
      eventId: `00000000-0000-4000-8000-00000000000${i + 1}`,
      leadId: `lead-${i + 1}`,
      phoneNumber: FLORIDA,
      startedAt: FIRST + i * HOUR,
      endedAt: FIRST + i * HOUR + 25_000,
    }),
  );
}

function audit(events: CallAttempt[], retries: AuditRetry[]) {
  const calls = new NumberCalls();
  // read out of order, and one event twice: neither may change what is counted
  // a lead per call, so a partition per call: reported in endedAt order
  for (const e of [...events].reverse().concat(events))
    calls.add(e.phoneNumber, e.eventId, attemptOf(e, 'BUSY'), {
      endedAt: e.endedAt,
      partition: events.indexOf(e),
      offset: 0n,
    });
  return auditRecords({
    inputs: [],
    outputs: [],
    deadLetters: [],
    capCheck: { rules: defaultRules(), retries, events: new Map(events.map((e) => [e.eventId, e])), calls },
  });
}

describe('the frequency-cap check', () => {
  it('a retry that would be the fourth call in 24 h is a violation, and fails the audit', () => {
    const events = floridaCalls(3);
    const retryAt = FIRST + 2 * HOUR + 11 * 60_000;
    const report = audit(events, [{ eventId: events[2]!.eventId, retryAt, heldByCap: false }]);
    expect(report.capViolations).toBe(1);
    expect(report.capViolationRecords).toEqual([
      {
        eventId: events[2]!.eventId,
        phoneNumber: FLORIDA,
        retryAt: new Date(retryAt).toISOString(),
        cap: 'US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))',
        calls: 4,
        limit: 3,
      },
    ]);
    expect(auditFailures(report)).toContain('1 retry(ies) beyond a frequency cap');
  });

  it('the same retry once the first call has left the 24 h period is clean', () => {
    const events = floridaCalls(3);
    const report = audit(events, [
      { eventId: events[2]!.eventId, retryAt: FIRST + 24 * HOUR, heldByCap: true },
    ]);
    expect(report.capViolations).toBe(0);
    expect(report.cappedRetries).toBe(1);
    expect(report.capViolationRecords).toEqual([]);
    expect(auditFailures(report)).toEqual([]);
  });

  it('counts only the calls reported by the time the retry was scheduled', () => {
    // the second call's retry at 15:11 makes 3 with the calls before it; the 16:00 call came later
    const events = floridaCalls(3);
    const report = audit(events, [
      { eventId: events[1]!.eventId, retryAt: FIRST + HOUR + 11 * 60_000, heldByCap: false },
    ]);
    expect(report.capViolations).toBe(0);
  });

  it('a number without a cap, a retry of an event not audited, and a repeated retry record', () => {
    const events = floridaCalls(3);
    const retryAt = FIRST + 2 * HOUR + 11 * 60_000;
    const newYork = events.map((e) => ({ ...e, phoneNumber: '+12125550123' }));
    expect(audit(newYork, [{ eventId: newYork[2]!.eventId, retryAt, heldByCap: false }]).capViolations).toBe(
      0,
    );
    expect(
      audit(events, [{ eventId: 'not-on-the-raw-topic', retryAt, heldByCap: false }]).capViolations,
    ).toBe(0);
    const twice = { eventId: events[2]!.eventId, retryAt, heldByCap: false };
    expect(audit(events, [twice, twice]).capViolations).toBe(1);
  });

  it('no check, no count: a report without capCheck has 0 cap violations', () => {
    const report = auditRecords({ inputs: [], outputs: [], deadLetters: [] });
    expect(report.capViolations).toBe(0);
  });
});

describe('NumberCalls', () => {
  it('knownBefore(): the calls reported before the event, in (startedAt, eventKey) order', () => {
    const calls = new NumberCalls();
    const [a, b, c] = floridaCalls(3);
    // on c's partition just before it, ending at the same instant
    const tie = { ...c!, eventId: '00000000-0000-4000-8000-00000000000e' };
    // a long call: started before a, ended after b, so not yet reported when b was
    const long = {
      ...b!,
      eventId: '00000000-0000-4000-8000-00000000000f',
      startedAt: a!.startedAt - HOUR,
      endedAt: b!.endedAt + 60_000,
    };
    // an hour after c, reported after it: it knows tie and c, placed in the same millisecond
    const later = {
      ...c!,
      eventId: '00000000-0000-4000-8000-000000000010',
      startedAt: c!.startedAt + HOUR,
      endedAt: c!.endedAt + HOUR,
    };
    // one partition, in the order written: a, b, long, tie, c, later
    [a!, b!, long, tie, c!, later].forEach((e, i) =>
      calls.add(e.phoneNumber, e.eventId, attemptOf(e, 'BUSY'), {
        endedAt: e.endedAt,
        partition: 0,
        offset: BigInt(i),
      }),
    );
    // the state entries of those calls, in the order given
    const entries = (...events: CallAttempt[]) => events.map((e) => attemptOf(e, 'BUSY'));
    expect(calls.knownBefore(FLORIDA, b!)).toEqual(entries(a!));
    expect(calls.knownBefore(FLORIDA, c!)).toEqual(entries(long, a!, b!, tie));
    expect(calls.knownBefore(FLORIDA, tie)).toEqual(entries(long, a!, b!));
    // kept for 2 h before the latest known call (tie, at c's start): long and a are gone
    expect(calls.knownBefore(FLORIDA, c!, 2 * HOUR)).toEqual(entries(b!, tie));
    // the same startedAt: ordered by eventKey, as the processor's state orders them (for these two,
    // the other way round from their eventIds)
    const sameMs = [tie, c!].sort((x, y) => eventKey(x.eventId) - eventKey(y.eventId));
    expect(calls.knownBefore(FLORIDA, later)).toEqual(entries(long, a!, b!, ...sameMs));
    expect(calls.knownBefore('+12125550123', c!)).toEqual([]);
  });

  it('across partitions, the call that ended first was reported first; the same instant is neither', () => {
    const calls = new NumberCalls();
    const [a, b] = floridaCalls(2);
    const sameEnd = {
      ...b!,
      eventId: '00000000-0000-4000-8000-00000000000d',
      startedAt: b!.startedAt - 1000,
    };
    calls.add(FLORIDA, a!.eventId, attemptOf(a!, 'BUSY'), { endedAt: a!.endedAt, partition: 1, offset: 7n });
    calls.add(FLORIDA, b!.eventId, attemptOf(b!, 'BUSY'), { endedAt: b!.endedAt, partition: 0, offset: 3n });
    calls.add(FLORIDA, sameEnd.eventId, attemptOf(sameEnd, 'BUSY'), {
      endedAt: b!.endedAt,
      partition: 2,
      offset: 0n,
    });
    expect(calls.knownBefore(FLORIDA, b!)).toEqual([attemptOf(a!, 'BUSY')]);
    expect(calls.knownBefore(FLORIDA, a!)).toEqual([]);
  });
});
