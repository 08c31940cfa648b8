import { isQ850Cause } from './q850/cause-class';

/**
 * A dialer learns the Q.850 cause of a failed call from the Reason header, e.g.
 * `Reason: Q.850;cause=34;text="No circuit/channel available"`. RFC 3326 defined the header for
 * BYE and CANCEL; RFC 6432 allows it in any SIP response, which is how a gateway passes the PSTN
 * release cause along with a 4xx–6xx (the SIP code says what SIP saw, the cause says why the PSTN
 * released). Returns the cause of the first Q.850 reason in a header value, or null when there is
 * none or it is out of range.
 */
export function q850CauseFromReasonHeader(headerValue: string): number | null {
  // Blank out quoted strings first: a `text="..."` parameter may itself contain commas or semicolons.
  const unquoted = headerValue.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const reason of unquoted.split(',')) {
    const [protocol, ...params] = reason.split(';');
    if (protocol?.trim().toUpperCase() !== 'Q.850') continue;
    for (const param of params) {
      const match = /^\s*cause\s*=\s*(\d{1,3})\s*$/i.exec(param);
      if (match?.[1] !== undefined) {
        const cause = Number(match[1]);
        return isQ850Cause(cause) ? cause : null;
      }
    }
  }
  return null;
}
