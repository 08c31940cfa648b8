import { frame, HEADER_SIZE } from '@sipflow/codec';
import { CONNECT_HEADER, CONNECT_HEADER_NAMES, deadLetter, HEADER, inputReaderType } from '@sipflow/pipeline';
import avro from 'avsc';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { attempt } from '../../../test/support/attempts';
import { decodeSample } from '../src/decode-sample';
import { readDeadLetter } from '../src/dead-letter-record';
import { formatPlanned, formatRedrive } from '../src/format';
import { redriveCopy } from '../src/redrive-copy';
import { selects } from '../src/selection';

const reader = inputReaderType();
const event = attempt({ phoneNumber: '+14155550123' });
const body = reader.toBuffer(event);
const framed = frame(7, body);
const writers = async (id: number) =>
  id === 7 ? avro.Type.forSchema(reader.schema() as avro.Schema) : undefined;

const original: KafkaMessage = {
  key: Buffer.from('lead-1'),
  value: framed,
  offset: '41',
  timestamp: '1780000000000',
  attributes: 0,
  headers: { traceparent: Buffer.from('tp'), 'dialer-site': Buffer.from('east') },
};
/** A dead letter as the broker hands it back: every header value a Buffer. */
function asFetched(offset: string, timestamp = '1780000005000'): KafkaMessage {
  const m = deadLetter({ topic: 'raw', partition: 2 }, original, 'SIPFLOW_OVERSIZE_RECORD', 'too big', null);
  const headers = Object.fromEntries(Object.entries(m.headers!).map(([k, v]) => [k, Buffer.from(String(v))]));
  return { key: m.key as Buffer, value: m.value as Buffer, offset, timestamp, attributes: 0, headers };
}

describe('readDeadLetter', () => {
  it("reads sipflow's headers: the id a copy names, the source, the original's time", () => {
    const letter = readDeadLetter('dlq', 1, asFetched('9'));
    expect(letter).toMatchObject({
      id: 'dlq/1/9',
      code: 'SIPFLOW_OVERSIZE_RECORD',
      message: 'too big',
      source: { topic: 'raw', partition: 2, offset: 41n },
      sourceTimestamp: 1780000000000,
      timestamp: 1780000005000,
      replayId: undefined,
    });
  });

  it("falls back to Connect's names when sipflow's are missing", () => {
    const m = asFetched('9');
    for (const name of [
      HEADER.errorCode,
      HEADER.errorMessage,
      HEADER.sourceTopic,
      HEADER.sourcePartition,
      HEADER.sourceOffset,
      HEADER.sourceTimestamp,
    ])
      delete m.headers![name];
    const letter = readDeadLetter('dlq', 1, m);
    expect(letter.code).toBe('SIPFLOW_OVERSIZE_RECORD');
    expect(letter.source).toEqual({ topic: 'raw', partition: 2, offset: 41n });
    expect(letter.sourceTimestamp).toBe(1780000005000); // the dead letter's own time
  });

  it('has no source when the headers do not say where the record was', () => {
    const m = asFetched('9');
    for (const name of [HEADER.sourceOffset, CONNECT_HEADER.offset]) delete m.headers![name];
    expect(readDeadLetter('dlq', 1, m).source).toBeUndefined();
  });
});

describe('selects', () => {
  const letter = readDeadLetter('dlq', 1, asFetched('9'));
  it('--from is inclusive, --to exclusive, both on the original record time', () => {
    expect(selects({ from: 1780000000000 }, letter)).toBe(true);
    expect(selects({ from: 1780000000001 }, letter)).toBe(false);
    expect(selects({ to: 1780000000000 }, letter)).toBe(false);
    expect(selects({ to: 1780000000001 }, letter)).toBe(true);
  });
  it('--code takes only the codes named', () => {
    expect(selects({ codes: new Set(['SIPFLOW_OVERSIZE_RECORD']) }, letter)).toBe(true);
    expect(selects({ codes: new Set(['SIPFLOW_DECODE_MAGIC_BYTE']) }, letter)).toBe(false);
  });
});

describe('redriveCopy', () => {
  it("is the original's key, bytes and own headers, on its partition, naming the dead letter", () => {
    const copy = redriveCopy('dlq/1/9', asFetched('9'), 2);
    expect(copy.key!.toString()).toBe('lead-1');
    expect(Buffer.compare(copy.value as Buffer, framed)).toBe(0);
    expect(copy.partition).toBe(2);
    expect(copy.timestamp).toBeUndefined();
    expect(Object.keys(copy.headers!).sort()).toEqual(['dialer-site', HEADER.redriveOf, 'traceparent']);
    expect(copy.headers![HEADER.redriveOf]).toBe('dlq/1/9');
    for (const name of CONNECT_HEADER_NAMES) expect(copy.headers).not.toHaveProperty(name);
  });

  it('a copy of a copy names the newer dead letter', () => {
    const m = asFetched('12');
    m.headers![HEADER.redriveOf] = Buffer.from('dlq/1/9');
    expect(redriveCopy('dlq/0/12', m, 2).headers![HEADER.redriveOf]).toBe('dlq/0/12');
  });
});

describe('decodeSample', () => {
  it('decodes a whole record, phone numbers masked', async () => {
    const s = await decodeSample(framed, writers);
    expect(s).toMatchObject({ stage: 'decoded', schemaId: 7, bytes: framed.length });
    expect(s.fields).toMatchObject({
      eventId: event.eventId,
      leadId: event.leadId,
      phoneNumber: '+14*******23',
    });
    expect(s.fields!.callerId).toBe('+14*******00');
  });

  it('a truncated body shows the fields before the cut', async () => {
    const cut = framed.subarray(0, HEADER_SIZE + 60);
    const s = await decodeSample(cut, writers);
    expect(s.stage).toBe('partial');
    expect(s.fields!.eventId).toBe(event.eventId);
    expect(s.stoppedAt).toMatch(/truncated/);
  });

  it('trailing bytes are reported after a whole record', async () => {
    const s = await decodeSample(Buffer.concat([framed, Buffer.from([1, 2])]), writers);
    expect(s).toMatchObject({ stage: 'partial', stoppedAt: '2 bytes after the last field' });
  });

  it('bytes that are not framed are shown as text or hex; an unknown id says so', async () => {
    expect(await decodeSample(Buffer.from('{"sipCode":486}'), writers)).toMatchObject({
      stage: 'not-framed',
      preview: 'text "{\\"sipCode\\":486}"',
    });
    expect((await decodeSample(Buffer.from([9, 0, 255]), writers)).preview).toBe('hex 0900ff');
    expect(await decodeSample(frame(99, body), writers)).toMatchObject({
      stage: 'unknown-schema',
      schemaId: 99,
      stoppedAt: 'schema id 99 is not in the registry',
    });
    expect(await decodeSample(null, writers)).toEqual({ bytes: 0, stage: 'no-value' });
  });
});

describe('redrive output', () => {
  it('a dry-run line says what goes where and what the processor would now do', () => {
    expect(
      formatPlanned(
        {
          deadLetter: 'dlq/1/9',
          code: 'SIPFLOW_OVERSIZE_RECORD',
          partition: 2,
          key: 'lead-1',
          bytes: 2048,
          verdict: 'BUSY RETRY',
        },
        'raw',
      ),
    ).toBe(
      'would send dlq/1/9 (SIPFLOW_OVERSIZE_RECORD) → raw/2, key "lead-1", 2,048 bytes: now BUSY RETRY\n',
    );
  });

  it('the summary counts every selected dead letter once', () => {
    const text = formatRedrive({
      mode: 'live',
      dlqTopic: 'dlq',
      inputTopic: 'raw',
      dlqRecords: 100,
      selected: 40,
      alreadyRedriven: 10,
      skipped: 2,
      skippedReasons: { 'from-replay': 0, 'no-source': 0, 'other-topic': 0, unverifiable: 2 },
      leftByLimit: 8,
      planned: 20,
      sent: 20,
      verdicts: {},
      status: 'complete',
      elapsedMs: 1234,
    });
    expect(text).toBe(
      'dlq redrive: 40 of 100 dead letters selected: 10 already redriven, 2 skipped (unverifiable 2), 8 left by --limit, 20 to send\n' +
        'dlq redrive: 20 sent to raw (1.2 s)\n',
    );
  });
});
