import { pino, type DestinationStream, type Logger } from 'pino';
import { serializeError } from './error-serializer';
import { maskPhoneNumber, maskPhoneNumbersIn, PHONE_FIELDS } from './phone-mask';

export type { Logger };

export type LoggerOptions = {
  level?: string;
  name?: string;
  /** Where JSON lines go; stdout when omitted. Tests pass an in-memory stream. */
  destination?: DestinationStream;
};

// Redact paths cannot say "at any depth"; up to three levels above the field covers a logged event,
// an event inside a record or batch object, and events in an array (`batch.events.0.phoneNumber`).
const PREFIXES = ['', '*.', '*.*.', '*.*.*.'];
const atAnyDepth = (field: string) => PREFIXES.map((prefix) => prefix + field);

const PHONE_PATHS = [...PHONE_FIELDS].flatMap(atAnyDepth);
// `*.password` covers sasl.password and auth.password; `*.key` covers ssl.key. A top-level `key` is
// left alone: that is how a record key (a lead id, not a secret) gets logged.
const SECRET_PATHS = [
  ...atAnyDepth('password'),
  ...atAnyDepth('authorization'),
  ...atAnyDepth('key').filter((path) => path !== 'key'),
];

const REDACTED = '[REDACTED]';

function censor(value: unknown, path: readonly (string | symbol)[]): unknown {
  const field = path[path.length - 1];
  if (typeof field === 'string' && PHONE_FIELDS.has(field)) {
    // A null callerId says "no caller ID presented": worth keeping, nothing to hide.
    if (value === null || value === undefined) return value;
    // Masked by field name rather than by pattern, so a malformed number is hidden too.
    return typeof value === 'string' ? maskPhoneNumber(value) : REDACTED;
  }
  return REDACTED;
}

/**
 * A pino JSON-lines logger that never writes a full phone number or a credential. Known fields are
 * redacted by path; anything else that looks like an E.164 number is masked in the serialized line,
 * which reaches what paths cannot: messages, printf arguments, error messages and stacks, and
 * fields of any name or depth. Errors go under `err` (`logger.error({ err }, '...')`): its serializer
 * writes type, message, stack, and a SipflowError's code and details.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      ...(opts.name === undefined ? {} : { name: opts.name }),
      serializers: { err: serializeError },
      redact: { paths: [...PHONE_PATHS, ...SECRET_PATHS], censor },
      hooks: { streamWrite: maskPhoneNumbersIn },
    },
    opts.destination,
  );
}
