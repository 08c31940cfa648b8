import type { CallAttempt } from '@sipflow/codec';
import type { Enrichment } from '@sipflow/rules';
import { HEADER } from './headers';
import { complianceAlert } from './output-records';
import type { PipelineDeps } from './process-batch';
import type { OutputRecord, RecordHeaders } from './records';

/** The rule id an abandonment alert names: no rule of the file chose it, the ledger did. */
export const ABANDONMENT_ALERT_RULE = 'abandoned-without-message';

/**
 * The compliance alert of a call abandoned without the recorded message naming the seller and its
 * number (16 CFR 310.4(b)(4)(iii); 47 CFR 64.1200(a)(7)): the call's own alert record, with the
 * event's disposition, marked `sipflow-alert-source: abandonment` so that readers (and the audit)
 * tell it from the one an action selects.
 */
export function abandonmentAlert(
  event: CallAttempt,
  enrichment: Enrichment,
  headers: RecordHeaders,
  deps: Pick<PipelineDeps, 'encoders' | 'replayId'>,
): OutputRecord {
  const record = complianceAlert(
    event,
    {
      ...enrichment,
      ruleId: ABANDONMENT_ALERT_RULE,
      explanation:
        "the dialer abandoned this call (a person answered and no representative was connected within 2 s) without playing the recorded message with the seller's name and telephone number (16 CFR 310.4(b)(4)(iii); 47 CFR 64.1200(a)(7))",
    },
    deps.replayId,
  );
  return {
    key: event.leadId,
    value: deps.encoders.compliance.encode(record),
    headers: { ...headers, [HEADER.alertSource]: 'abandonment' },
  };
}
