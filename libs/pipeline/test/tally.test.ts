import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRules } from '@sipflow/rules';
import { parse, stringify } from 'yaml';
import { mapState, processBatch, tallyBatch } from '../src/index';
import { attempt, encoded, messages, pipelineDeps, topics } from './support/pipeline';

const source = { topic: topics.input, partition: 0 };

// The default rules, jitter off, with a campaign keeping office hours and one capping its own calls.
const data = parse(
  readFileSync(new URL('../../rules/rules/default-rules.yaml', import.meta.url), 'utf8'),
) as { retry: { jitter: number }; campaigns: Record<string, unknown> };
data.retry.jitter = 0;
data.campaigns = {
  office: { callingWindow: { start: '09:00', end: '17:00' } },
  sparing: { maxAttempts: [6, { count: 1, per: '4h' }] },
};
const rules = parseRules(stringify(data), 'tally-rules.yaml');

/** A no-answer placed at `iso` (UTC); New York unless the overrides say otherwise. */
function noAnswer(id: string, iso: string, overrides: Parameters<typeof attempt>[0] = {}) {
  const startedAt = Date.parse(iso);
  return attempt({ eventId: id, sipCode: 480, startedAt, endedAt: startedAt + 20_000, ...overrides });
}
const miami = { phoneNumber: '+13055550100', leadRegion: 'US-FL' };

describe('tallyBatch: retries moved', () => {
  it('counts each moved retry once, by what moved it last: a jurisdiction, the campaign or a cap', async () => {
    const events = [
      // 13:00 EDT + 2 h: inside every window, not moved
      noAnswer('plain', '2026-06-10T17:00:00Z'),
      // 18:30 EDT + 2 h = 20:30, after Florida's 20:00 close but inside the campaign's 21:00
      noAnswer('florida-window', '2026-06-10T22:30:00Z', { ...miami, phoneNumber: '+13055550111' }),
      // 16:00 EDT + 2 h, after the campaign's 17:00 close
      noAnswer('office-window', '2026-06-10T20:00:00Z', { campaignId: 'office' }),
      // the campaign's own cap: 1 call per 4 h holds the retry 2 h more
      noAnswer('campaign-cap', '2026-06-10T14:00:00Z', {
        campaignId: 'sparing',
        phoneNumber: '+12125550177',
      }),
      // three calls to a Miami number in three hours: the third's retry waits for Florida's cap
      noAnswer('fl-1', '2026-06-10T13:00:00Z', miami),
      noAnswer('fl-2', '2026-06-10T14:00:00Z', { ...miami, leadId: 'lead-2' }),
      noAnswer('fl-3', '2026-06-10T15:00:00Z', miami),
    ];
    const result = processBatch(
      source,
      messages(events.map(encoded)),
      await pipelineDeps({ rules, state: mapState() }),
    );
    const movedBy = result.records.map((r) =>
      'enrichment' in r ? r.enrichment.retryMovedBy : 'not classified',
    );
    expect(movedBy).toEqual([
      null,
      expect.stringMatching(/^US-FL .*08:00–20:00/),
      'campaign 09:00–17:00',
      'campaign 1 call per 4 h',
      null,
      null,
      'US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))',
    ]);
    expect(tallyBatch(result).retriesMoved).toEqual({ jurisdiction: 1, campaign: 1, cap: 2 });
  });

  it('counts nothing when no retry was moved', async () => {
    const result = processBatch(
      source,
      messages([encoded(noAnswer('plain', '2026-06-10T17:00:00Z'))]),
      await pipelineDeps({ rules }),
    );
    expect(tallyBatch(result).retriesMoved).toEqual({ jurisdiction: 0, campaign: 0, cap: 0 });
    expect(result.records[0]).toMatchObject({ enrichment: { retryAt: Date.parse('2026-06-10T19:00:20Z') } });
  });
});
