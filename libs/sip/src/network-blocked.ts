import { parseReasonHeader, type ReasonValue } from './reason-header';

/**
 * SIP 603+ "Network Blocked" (ATIS-1000099, "Robocall Call Blocking Notification", ATIS, August
 * 2022). The FCC made it the one way to notify callers of analytics-based blocking: Eighth Report
 * and Order, FCC 25-15, CG Docket 17-59, amending 47 CFR § 64.1200(k); 90 FR 13416 (2025-03-24,
 * FR Doc 2025-04811), effective 2026-03-25. Checked 2026-12-01.
 *
 * A 603+ differs from a plain 603 Decline in two ways (ATIS-1000099 §1): the status line's reason
 * phrase is "Network Blocked", and it carries a Reason header such as
 *   Reason: SIP;cause=603;text="v=analytics1;url=https://redress.example;tel=+18005550100";location=RLN
 * whose text is a list of attribute-value pairs: `v=analytics1` (the profile version), at least one
 * redress contact (`url`, `tel`, `email`) and optionally `id`; `location` (RFC 8606 values) says
 * where the call was blocked. A network that interworks from ISUP sends the same text with
 * `Q.850;cause=21`. Real examples: Twilio's and Telnyx's trunking docs show exactly the header
 * above; Asterisk's NetworkBlocking() and FreeSWITCH's 603+ detection build and read the same AVPs.
 */
export interface NetworkBlockNotice {
  /** The text's `v=` attribute, e.g. "analytics1"; null when only the phrase said so. */
  readonly version: string | null;
  /** RFC 8606 location code of the blocking network, e.g. "RLN", or null. */
  readonly location: string | null;
  /** What the location code means, e.g. "network serving the called party". */
  readonly locationMeaning: string | null;
  readonly redressUrl: string | null;
  readonly redressTel: string | null;
  readonly redressEmail: string | null;
  /** The blocking provider's identifier for redress (`id=`), or null. */
  readonly blockId: string | null;
}

/** RFC 8606 §4 `isup-location-value` (the Q.850 location field, ITU-T Q.850 §2.2.3). */
const LOCATIONS: Readonly<Record<string, string>> = {
  U: 'user',
  LPN: 'private network serving the calling party',
  LN: 'public network serving the calling party',
  TN: 'transit network',
  RLN: 'public network serving the called party',
  RPN: 'private network serving the called party',
  INTL: 'international network',
  BI: 'network beyond an interworking point',
};

const PHRASE = 'network blocked';

/** The text's `name=value;...` pairs, lower-cased names. */
function attributes(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    if (!(name in pairs)) pairs[name] = part.slice(eq + 1).trim();
  }
  return pairs;
}

function isBlockingReason(reason: ReasonValue, pairs: Record<string, string>): boolean {
  if (reason.text?.trim().toLowerCase() === PHRASE) return true;
  return (
    (reason.protocol === 'SIP' || reason.protocol === 'Q.850') && (pairs.v ?? '').startsWith('analytics')
  );
}

/** True when the status line's reason phrase is "Network Blocked" (either case, trimmed). */
export function isNetworkBlockedPhrase(sipReason: string | null): boolean {
  return sipReason !== null && sipReason.trim().toLowerCase() === PHRASE;
}

/**
 * The 603+ notice in a Reason header value: the first reason-value whose text is "Network Blocked"
 * or carries the analytics AVPs (`v=analytics1;...`). Null when the header has none.
 */
export function networkBlockFromReasonHeader(headerValue: string | null): NetworkBlockNotice | null {
  if (headerValue === null) return null;
  for (const reason of parseReasonHeader(headerValue)) {
    const pairs = reason.text === null ? {} : attributes(reason.text);
    if (!isBlockingReason(reason, pairs)) continue;
    const location = reason.params.location?.toUpperCase() ?? null;
    return Object.freeze({
      version: pairs.v ?? null,
      location,
      locationMeaning: location === null ? null : (LOCATIONS[location] ?? null),
      redressUrl: pairs.url ?? null,
      redressTel: pairs.tel ?? null,
      redressEmail: pairs.email ?? null,
      blockId: pairs.id ?? null,
    });
  }
  return null;
}
