import { describe, expect, it } from 'vitest';
import { processBatch } from '../src/index';
import { attempt, encoded, messages, pipelineDeps, topics } from './support/pipeline';

const source = { topic: topics.input, partition: 0 };

/** Decodes every message of one output topic with that kind's schema. */
async function outputs(events: Parameters<typeof attempt>[0][]) {
  const deps = await pipelineDeps();
  const result = processBatch(source, messages(events.map((e) => encoded(attempt(e)))), deps);
  const decode = (topic: string, kind: keyof typeof deps.encoders) =>
    (result.topicMessages.find((t) => t.topic === topic)?.messages ?? []).map((m) =>
      deps.encoders[kind].type.fromBuffer((m.value as Buffer).subarray(5)),
    );
  return {
    enriched: decode(topics.enriched, 'enriched'),
    removal: decode(topics.removal, 'removal'),
    compliance: decode(topics.compliance, 'compliance'),
    retry: decode(topics.retry, 'retry'),
  };
}

const BLOCKED_603 = {
  eventId: 'e-603plus',
  sipCode: 603,
  sipReason: 'Network Blocked',
  reasonHeader:
    'SIP;cause=603;text="v=analytics1;url=https://redress.example;email=noc@carrier.example";location=TN',
};

describe('compliance-grade output records', () => {
  it('raises a compliance alert for a 603+ with the blocking network and redress contacts, and removes nothing', async () => {
    const out = await outputs([BLOCKED_603]);
    expect(out.removal).toEqual([]);
    expect(out.retry).toEqual([]);
    expect(out.compliance).toHaveLength(1);
    expect(out.compliance[0]).toMatchObject({
      eventId: 'e-603plus',
      disposition: 'NETWORK_BLOCKED',
      reasonHeader: BLOCKED_603.reasonHeader,
      networkBlock: {
        version: 'analytics1',
        location: 'TN',
        locationMeaning: 'transit network',
        redressUrl: 'https://redress.example',
        redressTel: null,
        redressEmail: 'noc@carrier.example',
        blockId: null,
      },
    });
    expect(out.enriched[0]).toMatchObject({ disposition: 'NETWORK_BLOCKED', action: 'COMPLIANCE_ALERT' });
  });

  it('scopes removals: NUMBER for an invalid number, LEAD with a do-not-call entry for a 607', async () => {
    const out = await outputs([
      { eventId: 'e-404', leadId: 'lead-404', sipCode: 404 },
      { eventId: 'e-607', leadId: 'lead-607', sipCode: 607, endedAt: Date.parse('2026-06-10T18:00:25Z') },
    ]);
    expect(out.removal.map((r) => [r.eventId, r.scope, r.doNotCall])).toEqual([
      ['e-404', 'NUMBER', null],
      [
        'e-607',
        'LEAD',
        {
          phoneNumber: '+12125550123',
          reason: 'the callee marked the call as unwanted (SIP 607, RFC 8197)',
          sourceEventId: 'e-607',
          expiresAt: null,
        },
      ],
    ]);
    expect(out.enriched.map((r) => r.removalScope)).toEqual(['NUMBER', 'LEAD']);
  });

  it('names the jurisdiction and the window that moved a retry, on the enriched and retry records', async () => {
    // a Florida no-answer at 18:30 EDT: +2 h passes Florida's 20:00 close
    const endedAt = Date.parse('2026-06-10T22:30:00Z');
    const out = await outputs([
      {
        eventId: 'e-fl',
        sipCode: 480,
        phoneNumber: '+13055550123',
        leadRegion: 'US-FL',
        startedAt: endedAt - 20_000,
        endedAt,
      },
    ]);
    const moved = 'US-FL 08:00–20:00 (Fla. Stat. § 501.616(6)(a))';
    expect(out.enriched[0]).toMatchObject({
      jurisdiction: 'US-FL',
      retryMovedBy: moved,
      leadRegion: 'US-FL',
    });
    expect(out.retry[0]).toMatchObject({ jurisdiction: 'US-FL', retryMovedBy: moved });
  });
});
