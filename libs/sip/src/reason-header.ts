import { isQ850Cause } from './q850/cause-class';

/** One reason-value of a SIP `Reason` header: `protocol;cause=N;text="...";other=params`. */
export interface ReasonValue {
  /** Upper-cased protocol token: "SIP", "Q.850", "PREEMPTION", ... */
  readonly protocol: string;
  /** The cause parameter, or null when absent or not a number. */
  readonly cause: number | null;
  /** The text parameter, unquoted and unescaped, or null. */
  readonly text: string | null;
  /** Every parameter by lower-cased name (values unquoted), cause and text included. */
  readonly params: Readonly<Record<string, string>>;
}

const QUOTED = /"((?:[^"\\]|\\.)*)"/y;

function unquote(raw: string): string {
  const value = raw.trim();
  QUOTED.lastIndex = 0;
  const match = QUOTED.exec(value);
  return match !== null && QUOTED.lastIndex === value.length ? match[1]!.replace(/\\(.)/g, '$1') : value;
}

/** Splits on `separator` outside double-quoted strings (a `text="..."` may hold commas and semicolons). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Parses a `Reason` header value, or several joined with commas (RFC 3326 §2, grammar
 * `Reason = "Reason" HCOLON reason-value *(COMMA reason-value)`, `reason-value = protocol
 * *(SEMI reason-params)`; RFC 6432 allows it in any SIP response; RFC 8606 adds `location` for
 * Q.850). A dialer may join repeated headers with ", " as SIP allows. Unparseable pieces are
 * skipped, never thrown: the header is advisory (RFC 3326 §2: "the Reason header field ... is
 * purely informational").
 */
export function parseReasonHeader(headerValue: string): ReasonValue[] {
  const values: ReasonValue[] = [];
  for (const piece of splitOutsideQuotes(headerValue, ',')) {
    const [protocolPart, ...paramParts] = splitOutsideQuotes(piece, ';');
    const protocol = protocolPart?.trim().toUpperCase() ?? '';
    if (!/^[A-Z0-9.\-_!%*+`'~]+$/.test(protocol)) continue;
    const params: Record<string, string> = {};
    for (const part of paramParts) {
      const eq = part.indexOf('=');
      const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      if (name.length === 0 || name in params) continue;
      params[name] = eq < 0 ? '' : unquote(part.slice(eq + 1));
    }
    const causeText = params.cause;
    const cause = causeText !== undefined && /^\d{1,3}$/.test(causeText) ? Number(causeText) : null;
    values.push(Object.freeze({ protocol, cause, text: params.text ?? null, params: Object.freeze(params) }));
  }
  return values;
}

/**
 * The cause of the first Q.850 reason in a header value, or null when there is none or it is out
 * of range. A dialer learns the PSTN release cause of a failed call from it, e.g.
 * `Reason: Q.850;cause=34;text="No circuit/channel available"`.
 */
export function q850CauseFromReasonHeader(headerValue: string): number | null {
  for (const reason of parseReasonHeader(headerValue)) {
    if (reason.protocol !== 'Q.850' || !('cause' in reason.params)) continue;
    return reason.cause !== null && isQ850Cause(reason.cause) ? reason.cause : null;
  }
  return null;
}
