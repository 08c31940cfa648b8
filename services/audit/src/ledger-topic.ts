import { AvroDecoder, type AbandonmentPeriod } from '@sipflow/codec';
import type { ConnectionSettings } from '@sipflow/config';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { outputReaderType } from '@sipflow/pipeline';
import { readTopicsToEnd, type ReadResult } from './read-topics';

/**
 * The abandoned-call ledger's compacted topic as it stands: each period's latest record (a key's
 * records are on one partition, in order), read_committed up to the end offsets at start. By
 * group, then period.
 */
export async function readLedgerTopic(opts: {
  connection: ConnectionSettings;
  topic: string;
  timeoutMs?: number;
}): Promise<{ periods: AbandonmentPeriod[]; undecodable: number; read: ReadResult }> {
  const kafka = createKafka(opts.connection, { clientId: 'sipflow-abandonment' });
  const decoder = new AvroDecoder<AbandonmentPeriod>(
    createRegistry(opts.connection),
    outputReaderType('abandonment'),
  );
  const latest = new Map<string, AbandonmentPeriod>();
  let undecodable = 0;
  const read = await readTopicsToEnd(
    kafka,
    [opts.topic],
    async (_topic, _partition, messages) => {
      await decoder.prepare(messages.map((m) => m.value));
      for (const m of messages) {
        const key = m.key?.toString() ?? '';
        // a tombstone: the period was deleted from the topic
        if (m.value === null) latest.delete(key);
        else
          try {
            latest.set(key, decoder.decode(m.value));
          } catch {
            undecodable++;
          }
      }
    },
    { timeoutMs: opts.timeoutMs ?? 60_000 },
  );
  const periods = [...latest.values()].sort((a, b) =>
    a.group < b.group ? -1 : a.group > b.group ? 1 : a.period - b.period,
  );
  return { periods, undecodable, read };
}
