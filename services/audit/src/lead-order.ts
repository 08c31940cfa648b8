import type { AuditInput, AuditOutput, OutOfOrderEntry, OutputKind } from './types';

type Position = { partition: number; offset: string };

const byPosition = (a: Position, b: Position) =>
  a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset));

/**
 * Checks "order per lead". For each lead and each output topic, take the last copy of each
 * event's record. Those must come in the order the lead's events came in on the raw topic.
 *
 * It uses the last copy because at-least-once may write again after a crash. A rewritten run
 * (e1 e2 | crash | e1 e2 e3) is in order. A record moved ahead of an earlier one with no rewrite
 * after it (e2 e1) is not. A consumer that applies records in order ends with the state the input
 * order gives, and that is what the promise is for. Under exactly-once there are no copies, so
 * the check is strict order.
 *
 * Some leads are skipped, because they have no single order to check: a lead whose raw events are
 * on more than one partition (a dialer that did not key by lead), and a lead whose records on one
 * output topic are on more than one partition.
 */
export function leadOrderViolations(
  inputs: AuditInput[],
  outputs: AuditOutput[],
): { count: number; entries: OutOfOrderEntry[] } {
  // each event's lead and its rank among that lead's raw events (its first copy)
  const rank = new Map<string, { leadId: string; rank: number }>();
  const rawPartitions = new Map<string, Set<number>>();
  const sorted = inputs.filter((i) => i.expected.kind === 'outputs').sort(byPosition);
  const nextRank = new Map<string, number>();
  for (const input of sorted) {
    if (input.expected.kind !== 'outputs') continue;
    const { eventId, leadId } = input.expected;
    let parts = rawPartitions.get(leadId);
    if (!parts) rawPartitions.set(leadId, (parts = new Set()));
    parts.add(input.partition);
    if (rank.has(eventId)) continue;
    const r = nextRank.get(leadId) ?? 0;
    rank.set(eventId, { leadId, rank: r });
    nextRank.set(leadId, r + 1);
  }

  // per topic and lead, its outputs in log order
  const streams = new Map<string, { topic: OutputKind; leadId: string; records: AuditOutput[] }>();
  for (const output of outputs) {
    const of = output.eventId === undefined ? undefined : rank.get(output.eventId);
    if (!of || (rawPartitions.get(of.leadId)?.size ?? 0) > 1) continue;
    const key = `${output.kind}\u0000${of.leadId}`;
    let stream = streams.get(key);
    if (!stream) streams.set(key, (stream = { topic: output.kind, leadId: of.leadId, records: [] }));
    stream.records.push(output);
  }

  const entries: OutOfOrderEntry[] = [];
  let count = 0;
  for (const { topic, leadId, records } of streams.values()) {
    if (new Set(records.map((r) => r.partition)).size > 1) continue;
    records.sort(byPosition);
    const lastCopy = new Map<string, number>();
    records.forEach((r, i) => lastCopy.set(r.eventId!, i));
    const inLogOrder = [...lastCopy.entries()].sort((a, b) => a[1] - b[1]).map(([eventId]) => eventId);
    for (let i = 1; i < inLogOrder.length; i++) {
      const [before, after] = [inLogOrder[i - 1]!, inLogOrder[i]!];
      if (rank.get(after)!.rank < rank.get(before)!.rank) {
        count++;
        entries.push({ leadId, topic, written: before, thenEarlierInput: after });
        break; // one per lead and topic: the first place its order breaks
      }
    }
  }
  return { count, entries };
}
