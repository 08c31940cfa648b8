import { SipflowError } from '@sipflow/errors';
import type { RecordResult } from '@sipflow/pipeline';
import type { Expectation } from './types';

/**
 * What the processor must have produced for one raw record: what the pipeline itself does with it
 * (the same size limit, decode, classify and output selection), so the audit and the processor
 * cannot disagree about the rules, only about what reached the topics.
 */
export function expectationOf(result: RecordResult): Expectation {
  const { outcome, event } = result;
  switch (outcome.kind) {
    case 'classified':
      return {
        kind: 'outputs',
        eventId: event!.eventId,
        leadId: event!.leadId,
        outputs: outcome.outputs,
        disposition: outcome.disposition,
        action: outcome.action,
      };
    case 'dead-letter':
      return {
        kind: 'dlq',
        code: outcome.code,
        ...(typeof event?.eventId === 'string' ? { eventId: event.eventId } : {}),
      };
    case 'filtered':
      // the audit passes no filter; a filtered record cannot come back
      throw new SipflowError('SIPFLOW_INTERNAL_ERROR', 'a filtered record in an audit, which filters none');
  }
}
