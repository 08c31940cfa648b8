import type { AvroDecoder, CallAttempt } from '@sipflow/codec';
import { isSipflowError } from '@sipflow/errors';
import { classify, type Rules } from '@sipflow/rules';
import type { Expectation, OutputKind } from './types';

const ACTION_TOPIC: Record<string, OutputKind | undefined> = {
  RETRY: 'retry',
  REMOVE_LEAD: 'removal',
  COMPLIANCE_ALERT: 'compliance',
};

/**
 * What the processor must have produced for one raw record, by the same steps it takes: the size
 * limit, decode, then the pure classify. The decoder must have been prepared for this value.
 */
export function expectationOf(
  value: Buffer | null,
  deps: { decoder: AvroDecoder<CallAttempt>; rules: Rules; maxRecordBytes: number },
): Expectation {
  if ((value?.length ?? 0) > deps.maxRecordBytes) return { kind: 'dlq', code: 'SIPFLOW_OVERSIZE_RECORD' };
  let event: CallAttempt;
  try {
    event = deps.decoder.decode(value);
  } catch (err) {
    return { kind: 'dlq', code: isSipflowError(err) ? err.code : 'SIPFLOW_INTERNAL_ERROR' };
  }
  try {
    const e = classify(event, deps.rules);
    const actionTopic = ACTION_TOPIC[e.action];
    return {
      kind: 'outputs',
      eventId: event.eventId,
      leadId: event.leadId,
      outputs: actionTopic ? ['enriched', actionTopic] : ['enriched'],
      disposition: e.disposition,
      action: e.action,
    };
  } catch (err) {
    return {
      kind: 'dlq',
      code: isSipflowError(err) ? err.code : 'SIPFLOW_INTERNAL_ERROR',
      ...(typeof event?.eventId === 'string' ? { eventId: event.eventId } : {}),
    };
  }
}
