import type { AvroDecoder, CallAttempt } from '@sipflow/codec';
import type { NumberStateView } from '@sipflow/pipeline';
import { attemptOf, classify, historyKeepMs, recordAttempt, type Rules } from '@sipflow/rules';
import type { KafkaMessage } from 'kafkajs';
import type { PartitionWatermarks } from './window-plan';
import { planWindow, type PartitionRange } from './window-plan';

/** What the state a replay starts from was rebuilt from: reported in the progress and the summary. */
export type StateWarmUp = {
  /** calls the state holds before the first window record is classified */
  calls: number;
  numbers: number;
  /** the record-time span read for it, epoch ms [from, to); null for a window given by offsets */
  from: number | null;
  to: number | null;
};

/**
 * Records the call one event placed, as processBatch records a classified one: the disposition
 * (NO_ANSWER and BUSY count as unanswered) under the event's number. An event the processor would
 * dead-letter (invalid) placed no call. Returns whether it recorded one.
 */
export function recordCall(state: NumberStateView, event: CallAttempt, rules: Rules): boolean {
  const history = state.get(event.phoneNumber);
  let disposition;
  try {
    ({ disposition } = classify(event, rules, history));
  } catch {
    return false;
  }
  state.set(
    event.phoneNumber,
    recordAttempt(history, attemptOf(event, disposition), historyKeepMs(rules.stateWindowMs)),
  );
  return true;
}

/**
 * Records the calls of raw records whose record time `counts`, with no outputs: the warm-up before
 * the window, and on `--resume` the part of the window already replayed. Records too large or not
 * decodable placed no call, as in the processor.
 */
export async function recordMessages(
  messages: readonly KafkaMessage[],
  deps: { decoder: AvroDecoder<CallAttempt>; rules: Rules; maxRecordBytes: number; state: NumberStateView },
  counts: (timestamp: number) => boolean,
): Promise<number> {
  const kept = messages.filter(
    (m) => counts(Number(m.timestamp)) && (m.value?.length ?? 0) <= deps.maxRecordBytes,
  );
  await deps.decoder.prepare(kept.map((m) => m.value));
  let recorded = 0;
  for (const m of kept) {
    let event: CallAttempt;
    try {
      event = deps.decoder.decode(m.value);
    } catch {
      continue;
    }
    if (recordCall(deps.state, event, deps.rules)) recorded++;
  }
  return recorded;
}

/**
 * The raw topic's offsets holding records of [from − windowMs, from), on every partition: numbers
 * span partitions (the key is the lead), so a window of some partitions still needs the calls on
 * the others. Records inside these offsets but outside that time span are skipped by the caller.
 */
export function warmUpRanges(
  watermarks: readonly PartitionWatermarks[],
  startByTime: ReadonlyMap<number, bigint>,
  endByTime: ReadonlyMap<number, bigint>,
): PartitionRange[] {
  return planWindow({ watermarks, startByTime, endByTime }).filter((r) => r.end > r.start);
}
