import { describe, expect, it } from 'vitest';
import { capViolation, defaultRules, eventKey, parseRules } from '@sipflow/rules';
import { readFileSync } from 'node:fs';
import { mapState, processBatch, type RecordResult } from '../src/index';
import { attempt, encoded, messages, pipelineDeps, topics } from './support/pipeline';

const source = { topic: topics.input, partition: 0 };
const HOUR = 3_600_000;
const FIRST = Date.parse('2026-06-10T14:00:00Z'); // 10:00 EDT

/** No-answers to one Miami number, an hour apart, from two leads in turn. */
const calls = [0, 1, 2].map((i) =>
  attempt({
    eventId: `e-${i}`,
    leadId: i % 2 === 0 ? 'lead-a' : 'lead-b',
    phoneNumber: '+13055550100',
    leadRegion: 'US-FL',
    sipCode: 480,
    startedAt: FIRST + i * HOUR,
    endedAt: FIRST + i * HOUR + 25_000,
  }),
);

/** Whether a retry is the no-answer delay after the call: 2 h, plus up to 10 % jitter. */
function afterDelayOnly(retryAt: number | null, call: { endedAt: number }): boolean {
  return retryAt !== null && retryAt >= call.endedAt + 2 * HOUR && retryAt <= call.endedAt + 2.2 * HOUR;
}

function retryAts(records: RecordResult[]): (number | null)[] {
  return records.map((r) => ('enrichment' in r ? r.enrichment.retryAt : null));
}

describe('processBatch with the per-number state', () => {
  it('holds the retry that would be the fourth call in 24 h until the first leaves the period', async () => {
    const state = mapState();
    const result = processBatch(source, messages(calls.map(encoded)), await pipelineDeps({ state }));
    const [first, second, third] = retryAts(result.records);
    // the first two retry after the 2 h delay (+ up to 10 % jitter); the third waits for Florida's
    // 3 calls per 24 h: 24 h after the first call
    expect(afterDelayOnly(first!, calls[0]!)).toBe(true);
    expect(afterDelayOnly(second!, calls[1]!)).toBe(true);
    expect(third).toBe(FIRST + 24 * HOUR);
    const enriched = result.records[2]!;
    expect('enrichment' in enriched && enriched.enrichment.retryMovedBy).toBe(
      'US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))',
    );
    expect(state.map.get('+13055550100')?.map((e) => e.eventKey)).toEqual(
      ['e-0', 'e-1', 'e-2'].map(eventKey),
    );
  });

  it('reads the calls of earlier batches from the state', async () => {
    const state = mapState();
    const deps = await pipelineDeps({ state });
    processBatch(source, messages(calls.slice(0, 2).map(encoded)), deps);
    const result = processBatch(source, messages([encoded(calls[2]!)]), deps);
    expect(retryAts(result.records)).toEqual([FIRST + 24 * HOUR]);
  });

  it('without a state sees only the call in hand: the third call retries after its delay', async () => {
    const result = processBatch(source, messages(calls.map(encoded)), await pipelineDeps());
    const third = retryAts(result.records)[2]!;
    expect(afterDelayOnly(third, calls[2]!)).toBe(true);
  });

  it('does not keep a state when no rule reads it (stateWindowMs 0)', async () => {
    const text = readFileSync(new URL('../../rules/rules/default-rules.yaml', import.meta.url), 'utf8');
    const rules = parseRules(
      text.replace('maxAttempts: 6', 'maxAttempts: 6\n  jurisdictionProfile: none'),
      'none.yaml',
    );
    expect(rules.stateWindowMs).toBe(0);
    const state = mapState();
    processBatch(source, messages(calls.map(encoded)), await pipelineDeps({ rules, state }));
    expect(state.map.size).toBe(0);
  });

  // A dialer uploading late: c1 and c2 on 06-10, a later call L, then E, a call placed between c2
  // and L but reported after L. E's retry lands near c1 and c2, so those must still be known.
  const lateCase = (latestAt: string) => {
    const at = (iso: string, id: string) =>
      attempt({
        eventId: id,
        phoneNumber: '+13055550100',
        leadRegion: 'US-FL',
        sipCode: 480,
        startedAt: Date.parse(iso),
        endedAt: Date.parse(iso) + 25_000,
      });
    return [
      at('2026-06-10T13:00:00Z', 'c1'),
      at('2026-06-10T13:10:00Z', 'c2'),
      at(latestAt, 'latest'),
      at('2026-06-10T13:20:00Z', 'late'),
    ];
  };

  it('a call reported less than a period after a later one still gets a retry within the cap', async () => {
    // 23 h 55 min after the late call, and more than 24 h after c1 and c2: kept for one period
    // only, they would be gone when the late call comes
    const batch = lateCase('2026-06-11T13:15:00Z');
    const result = processBatch(
      source,
      messages(batch.map(encoded)),
      await pipelineDeps({ state: mapState() }),
    );
    const late = result.records[3]!;
    expect('enrichment' in late && late.enrichment.action).toBe('RETRY');
    const retryAt = 'enrichment' in late ? late.enrichment.retryAt! : 0;
    const others = batch
      .slice(0, 3)
      .map((c) => ({ at: c.startedAt, eventKey: eventKey(c.eventId), unanswered: true }));
    expect(capViolation(batch[3]!, retryAt, defaultRules(), others)).toBeNull();
  });

  it('a call reported more than a period after a later one is not retried: its calls may be gone', async () => {
    const batch = lateCase('2026-06-11T13:25:00Z'); // 24 h 5 min after the late call
    const result = processBatch(
      source,
      messages(batch.map(encoded)),
      await pipelineDeps({ state: mapState() }),
    );
    const late = result.records[3]!;
    expect('enrichment' in late && late.enrichment.action).toBe('NONE');
    expect('enrichment' in late && late.enrichment.explanation).toMatch(
      /reported 24\.08+\d* h|reported .* after a later call/,
    );
  });
});
