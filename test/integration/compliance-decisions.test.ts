import type { CallAttempt, RegisteredType } from '@sipflow/codec';
import { createRegistry } from '@sipflow/kafka';
import type { Topics } from '@sipflow/pipeline';
import type { RunningProcessor } from '@sipflow/processor';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import {
  createTestTopics,
  deleteTopics,
  readTopic,
  startInProcess,
  testConnection,
  rawTopicWriter,
} from '../support/processor-harness';

const endedAt = (iso: string) => ({ startedAt: Date.parse(iso) - 20_000, endedAt: Date.parse(iso) });
const FL_PHONE = '+13055550123';

/** The decisions the compliance issue names, each as a dialer would report it. */
const cases = {
  blockedByPhrase: attempt({ sipCode: 603, sipReason: 'Network Blocked', q850Cause: null }),
  blockedByHeader: attempt({
    sipCode: 603,
    sipReason: 'Decline',
    q850Cause: null,
    reasonHeader:
      'SIP;cause=603;text="v=analytics1;url=https://redress.example;tel=+18005550100";location=RLN',
  }),
  plainDecline: attempt({ sipCode: 603, sipReason: 'Decline', q850Cause: null }),
  // 18:30 EDT, no answer: +2 h passes Florida's 20:00 close
  floridaNoAnswer: attempt({
    sipCode: 480,
    q850Cause: null,
    phoneNumber: FL_PHONE,
    leadRegion: 'US-FL',
    leadTimezone: 'America/New_York',
    ...endedAt('2026-06-10T22:30:00Z'),
  }),
  // neither region nor zone: both from the 305 area code
  floridaByAreaCode: attempt({
    sipCode: 480,
    q850Cause: null,
    phoneNumber: FL_PHONE,
    leadRegion: null,
    leadTimezone: null,
    ...endedAt('2026-06-10T22:30:00Z'),
  }),
  invalidNumber: attempt({ sipCode: 404, sipReason: 'Not Found', q850Cause: 1 }),
  unwanted: attempt({ sipCode: 607, sipReason: 'Unwanted', q850Cause: null }),
};

describe('compliance-grade decisions through the real broker and registry', () => {
  let topics: Topics;
  let processor: RunningProcessor;
  let producer: Producer;
  let input: RegisteredType<CallAttempt>;
  const registry = createRegistry(testConnection());
  const decode = async (m: { value: Buffer | null }) =>
    (await registry.decode(m.value!)) as Record<string, unknown>;

  beforeAll(async () => {
    topics = await createTestTopics('compliance');
    ({ input, producer } = await rawTopicWriter(registry, topics));
    processor = await startInProcess(topics, {});
    await producer.send({
      topic: topics.input,
      messages: Object.values(cases).map((a) => ({ key: a.leadId, value: input.encode(a) })),
    });
  });
  afterAll(async () => {
    await processor?.stop();
    await producer?.disconnect();
    await deleteTopics(topics);
  });

  it('gives each case its disposition, action, jurisdiction and scope on the enriched topic', async () => {
    const enriched = await Promise.all(
      (await readTopic(topics.enriched, Object.keys(cases).length)).map(decode),
    );
    const byEvent = new Map(enriched.map((v) => [v.eventId as string, v]));
    const get = (name: keyof typeof cases) => byEvent.get(cases[name].eventId)!;
    expect(get('blockedByPhrase')).toMatchObject({
      disposition: 'NETWORK_BLOCKED',
      action: 'COMPLIANCE_ALERT',
    });
    expect(get('blockedByHeader')).toMatchObject({
      disposition: 'NETWORK_BLOCKED',
      action: 'COMPLIANCE_ALERT',
    });
    expect(get('plainDecline')).toMatchObject({ disposition: 'DECLINED', action: 'NONE' });
    const fl = 'US-FL 08:00–20:00 (Fla. Stat. § 501.616(6)(a))';
    for (const name of ['floridaNoAnswer', 'floridaByAreaCode'] as const) {
      expect(get(name)).toMatchObject({ action: 'RETRY', jurisdiction: 'US-FL', retryMovedBy: fl });
      expect(get(name).retryAt).toBe(Date.parse('2026-06-11T12:00:00Z')); // 08:00 EDT next day
    }
    expect(get('invalidNumber')).toMatchObject({ action: 'REMOVE_LEAD', removalScope: 'NUMBER' });
    expect(get('unwanted')).toMatchObject({ action: 'REMOVE_LEAD', removalScope: 'LEAD' });
  });

  it('puts the 603+ notice on the compliance alert and the do-not-call entry on the removal', async () => {
    const compliance = await Promise.all((await readTopic(topics.compliance, 2)).map(decode));
    const header = compliance.find((v) => v.eventId === cases.blockedByHeader.eventId)!;
    expect(header.networkBlock).toMatchObject({
      version: 'analytics1',
      location: 'RLN',
      redressUrl: 'https://redress.example',
      redressTel: '+18005550100',
    });
    const phrase = compliance.find((v) => v.eventId === cases.blockedByPhrase.eventId)!;
    expect(phrase).toMatchObject({ disposition: 'NETWORK_BLOCKED', networkBlock: null });

    const removal = await Promise.all((await readTopic(topics.removal, 2)).map(decode));
    const byEvent = new Map(removal.map((v) => [v.eventId as string, v]));
    expect(byEvent.get(cases.invalidNumber.eventId)).toMatchObject({ scope: 'NUMBER', doNotCall: null });
    expect(byEvent.get(cases.unwanted.eventId)).toMatchObject({
      scope: 'LEAD',
      doNotCall: {
        phoneNumber: cases.unwanted.phoneNumber,
        sourceEventId: cases.unwanted.eventId,
        expiresAt: null,
      },
    });
  });
});
