import { frame, type CallAttempt } from '@sipflow/codec';
import { EMPTY_LEDGER, type LedgerState } from '@sipflow/rules';
import { describe, expect, it } from 'vitest';
import {
  ABANDONMENT_ALERT_RULE,
  classified,
  deadLettered,
  decodePartial,
  HEADER,
  ledgerBatch,
  processBatch,
  type InputRecord,
} from '../src/index';
import { attempt, encoded, messages, pipelineDeps, topics } from './support/pipeline';

const DAY = 86_400_000;
/** In period 12 of a campaign numbered from 2026-01-01 (2026-11-27 to 2026-12-27). */
const T0 = Date.parse('2026-12-01T15:00:00Z');

function human(i: number, abandoned: boolean, fields: Partial<CallAttempt> = {}): CallAttempt {
  const at = fields.endedAt ?? T0 + i * 1_000;
  return attempt({
    eventId: `e-${i}`,
    campaignId: 'cmp-a',
    sipCode: 200,
    answeredBy: 'HUMAN',
    startedAt: at - 30_000,
    endedAt: at,
    answeredAt: at - 20_000,
    agentConnectedAt: abandoned ? null : at - 19_000,
    ...fields,
  });
}

/** A map-backed view, as the processor's store gives one batch. */
function mapView(map = new Map<string, LedgerState>()) {
  return {
    map,
    get: (k: string) => map.get(k) ?? EMPTY_LEDGER,
    set: (k: string, v: LedgerState) => void map.set(k, v),
  };
}

const asInput = (records: { key?: unknown; value: unknown }[]): InputRecord[] =>
  records.map((r, i) => ({
    key: Buffer.from(String(r.key)),
    value: r.value as Buffer,
    offset: String(i),
    timestamp: '0',
  }));

async function partialsOf(events: CallAttempt[]): Promise<InputRecord[]> {
  const deps = await pipelineDeps({ ledgerTopic: 'ledger-partials' });
  const result = processBatch({ topic: topics.input, partition: 0 }, messages(events.map(encoded)), deps);
  const ledger = result.topicMessages.find((t) => t.topic === 'ledger-partials');
  return asInput(ledger?.messages ?? []);
}

describe('the classify stage writes the batch counted per group and period', () => {
  it('one partial per group and period, keyed by group, after the outputs; none without ledgerTopic', async () => {
    const events = [
      human(0, true),
      human(1, false),
      human(2, false, { campaignId: 'cmp-b' }),
      human(3, false, { endedAt: T0 + 30 * DAY }),
    ];
    const partials = await partialsOf(events);
    expect(partials.map((p) => [p.key!.toString(), decodePartial(p.value).period])).toEqual([
      ['cmp-a', 12],
      ['cmp-b', 12],
      ['cmp-a', 13],
    ]);
    expect(decodePartial(partials[0]!.value).counts).toMatchObject({
      calls: 2,
      personAnswered: 2,
      personAbandoned: 1,
    });
    const plain = processBatch(
      { topic: topics.input, partition: 0 },
      messages(events.map(encoded)),
      await pipelineDeps(),
    );
    expect(plain.topicMessages.map((t) => t.topic)).not.toContain('ledger-partials');
  });

  it('counts no dead-lettered record', async () => {
    const partials = await partialsOf([human(0, true), human(1, true, { phoneNumber: 'nope' })]);
    expect(decodePartial(partials[0]!.value).counts.calls).toBe(1);
  });
});

describe('ledgerBatch: the ledger stage', () => {
  it('adds partials up and writes each changed period once, with its exact numerator and denominator', async () => {
    const deps = await pipelineDeps();
    const view = mapView();
    const first = await partialsOf(Array.from({ length: 100 }, (_, i) => human(i, i < 2)));
    const second = await partialsOf(Array.from({ length: 100 }, (_, i) => human(100 + i, i < 3)));
    const result = ledgerBatch({ topic: 'partials', partition: 0 }, [...first, ...second], {
      rules: deps.rules,
      view,
      encoder: deps.encoders.abandonment,
      topics,
    });
    expect(result.records).toEqual([]);
    const [out] = result.topicMessages;
    expect(out!.topic).toBe(topics.abandonment);
    expect(out!.messages.map((m) => m.key)).toEqual(['cmp-a/12']);
    const record = deps.encoders.abandonment.type.fromBuffer((out!.messages[0]!.value as Buffer).subarray(5));
    expect(record).toMatchObject({
      group: 'cmp-a',
      period: 12,
      numerator: 5,
      denominator: 200,
      rate: 0.025,
      status: 'WARNING',
      closed: false,
      rulesVersion: deps.rules.version,
    });
    expect(result.raised).toEqual(['WARNING']);
    // raised once: the same status again says nothing
    const again = ledgerBatch({ topic: 'partials', partition: 0 }, await partialsOf([human(300, false)]), {
      rules: deps.rules,
      view,
      encoder: deps.encoders.abandonment,
      topics,
    });
    expect(again.raised).toEqual([]);
    expect(view.map.get('cmp-a/12')!.counts.personAnswered).toBe(201);
  });

  it("closes a group's period once a call of its next period is counted, in whichever order they come", async () => {
    const deps = await pipelineDeps();
    const run = async (view: ReturnType<typeof mapView>, events: CallAttempt[]) =>
      ledgerBatch({ topic: 'partials', partition: 0 }, await partialsOf(events), {
        rules: deps.rules,
        view,
        encoder: deps.encoders.abandonment,
        topics,
      });
    const inPeriod13 = human(1, false, { endedAt: Date.parse('2026-12-27T00:00:01Z') });
    const inOrder = mapView();
    await run(inOrder, [human(0, false)]);
    const next = await run(inOrder, [inPeriod13]);
    expect(next.topicMessages[0]!.messages.map((m) => m.key)).toEqual(['cmp-a/13', 'cmp-a/12']);
    const late = mapView();
    await run(late, [inPeriod13]);
    await run(late, [human(0, false)]);
    for (const view of [inOrder, late]) {
      expect(view.map.get('cmp-a/12')!.closed).toBe(true);
      expect(view.map.get('cmp-a/13')!.closed).toBe(false);
    }
  });

  it('dead-letters a partial that does not parse, naming the field, and counts the rest', async () => {
    const deps = await pipelineDeps();
    const good = await partialsOf([human(0, false)]);
    const bad = asInput([
      { key: 'cmp-a', value: Buffer.from('{"v":1,"group":"cmp-a","period":"12"}') },
      { key: 'cmp-a', value: frame(1, Buffer.alloc(3)) },
    ]);
    const result = ledgerBatch({ topic: 'partials', partition: 0 }, [...bad, ...good], {
      rules: deps.rules,
      view: mapView(),
      encoder: deps.encoders.abandonment,
      topics,
    });
    expect(result.records.map((r) => r.outcome)).toEqual([
      deadLettered('SIPFLOW_INVALID_FIELD'),
      deadLettered('SIPFLOW_INVALID_JSON'),
    ]);
    expect((result.records[0] as { reason: string }).reason).toBe('ledger partial: period is "12"');
    expect(result.topicMessages.map((t) => t.topic)).toEqual([topics.abandonment, topics.dlq]);
  });
});

describe('ledgerBatch: a month without calls', () => {
  it('still closes the period before it when the group calls again two periods later', async () => {
    const deps = await pipelineDeps();
    const view = mapView();
    const run = async (events: CallAttempt[]) =>
      ledgerBatch({ topic: 'partials', partition: 0 }, await partialsOf(events), {
        rules: deps.rules,
        view,
        encoder: deps.encoders.abandonment,
        topics,
      });
    await run([human(0, false)]);
    // period 14 (2027-01-26 on): nothing in period 13
    await run([human(1, false, { endedAt: Date.parse('2027-01-30T15:00:00Z') })]);
    expect(view.map.get('cmp-a/12')!.closed).toBe(true);
    expect(view.map.has('cmp-a/13')).toBe(false);
    expect(view.map.get('cmp-a/14')!.closed).toBe(false);
  });
});

describe('the alert on a call abandoned without the recorded message', () => {
  const alertsOf = (result: ReturnType<typeof processBatch>) =>
    (result.topicMessages.find((t) => t.topic === topics.compliance)?.messages ?? []).filter(
      (m) => m.headers?.[HEADER.alertSource] === 'abandonment',
    );

  it('is written to the compliance topic with the ledger on, marked, naming the call; not otherwise', async () => {
    const unplayed = human(0, true, { eventId: 'e-unplayed', abandonMessagePlayed: false });
    const played = human(1, true, { eventId: 'e-played', abandonMessagePlayed: true });
    const connected = human(2, false, { eventId: 'e-connected', abandonMessagePlayed: false });
    const machine = human(3, true, {
      eventId: 'e-machine',
      answeredBy: 'MACHINE',
      abandonMessagePlayed: false,
    });
    const batch = messages([unplayed, played, connected, machine].map(encoded));
    const deps = await pipelineDeps({ ledgerTopic: 'ledger-partials' });
    const result = processBatch({ topic: topics.input, partition: 0 }, batch, deps);
    const alerts = alertsOf(result);
    expect(alerts.map((m) => m.key)).toEqual([unplayed.leadId]);
    const record = deps.encoders.compliance.type.fromBuffer((alerts[0]!.value as Buffer).subarray(5));
    expect(record).toMatchObject({
      eventId: 'e-unplayed',
      disposition: 'CONNECTED',
      ruleId: ABANDONMENT_ALERT_RULE,
      rulesVersion: deps.rules.version,
    });
    expect(record.explanation).toContain('310.4(b)(4)(iii)');
    // the event's own outputs are what its action selects, as without the ledger
    expect(result.records[0]!.outcome).toEqual(classified('CONNECTED', 'NONE'));
    const off = processBatch({ topic: topics.input, partition: 0 }, batch, await pipelineDeps());
    expect(alertsOf(off)).toEqual([]);
  });
});
