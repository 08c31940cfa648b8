import { randomUUID } from 'node:crypto';
import type { CallAttempt } from '@sipflow/codec';

const T0 = Date.UTC(2026, 10, 24, 15, 0, 0); // a Tuesday afternoon in the US

/** A valid call attempt; override what the test is about. */
export function attempt(overrides: Partial<CallAttempt> = {}): CallAttempt {
  return {
    eventId: randomUUID(),
    leadId: `lead-${randomUUID().slice(0, 8)}`,
    campaignId: 'campaign-test',
    phoneNumber: '+14155550123',
    callerId: '+14155550100',
    sipCode: 200,
    sipReason: 'OK',
    q850Cause: 16,
    retryAfterSeconds: null,
    attemptNumber: 1,
    startedAt: T0,
    endedAt: T0 + 30_000,
    leadTimezone: 'America/Los_Angeles',
    carrier: 'carrier-a',
    reasonHeader: null,
    leadRegion: null,
    answeredBy: null,
    answeredAt: null,
    agentConnectedAt: null,
    abandoned: null,
    abandonMessagePlayed: null,
    ringingAt: null,
    ...overrides,
  };
}
