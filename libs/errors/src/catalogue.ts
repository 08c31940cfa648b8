import type { SipflowErrorCode } from './codes';
import { SYSEXITS } from './exit-status';

/** What part of sipflow a code belongs to: groups the table in docs/errors.md. */
export type ErrorArea =
  | 'call attempt'
  | 'rules'
  | 'decode'
  | 'config'
  | 'auth'
  | 'usage'
  | 'kafka'
  | 'registry'
  | 'stack'
  | 'bench'
  | 'state'
  | 'internal';

export type ErrorEntry = {
  /** The CLI's exit status when a command fails with this code (see exit-status.ts). */
  readonly exitStatus: number;
  /** Whether the same operation, repeated unchanged, may succeed later (a service that was down). */
  readonly retryable: boolean;
  /** One line for the operator: what to check or do. Printed under the CLI's error line. */
  readonly help: string;
  readonly area: ErrorArea;
};

const { EX_USAGE, EX_DATAERR, EX_UNAVAILABLE, EX_SOFTWARE, EX_NOPERM, EX_CONFIG } = SYSEXITS;

/**
 * Every code's exit status, retryability and help. Typed as a Record over the code union, so a code
 * added to codes.ts without an entry here (or an entry for no code) does not compile.
 */
export const ERROR_CATALOGUE: Readonly<Record<SipflowErrorCode, ErrorEntry>> = {
  SIPFLOW_MISSING_FIELD: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'A required CallAttempt field is absent: schemas/call-attempt.avsc is the contract.',
    area: 'call attempt',
  },
  SIPFLOW_INVALID_FIELD: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'A CallAttempt field has the wrong type or value: the message names the field and what it must be.',
    area: 'call attempt',
  },
  SIPFLOW_INVALID_SIP_CODE: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'A SIP code must be an integer status code from 100 to 699.',
    area: 'call attempt',
  },
  SIPFLOW_INVALID_Q850_CAUSE: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'A Q.850 cause must be an integer from 0 to 127 (q850Cause may also be null).',
    area: 'call attempt',
  },
  SIPFLOW_INVALID_PHONE_NUMBER: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'phoneNumber and callerId must be E.164: a plus sign and up to 15 digits, no spaces.',
    area: 'call attempt',
  },
  SIPFLOW_UNKNOWN_TIME_ZONE: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'leadTimezone must be an IANA zone name such as America/Chicago, or null.',
    area: 'call attempt',
  },
  SIPFLOW_INVALID_TIMESTAMPS: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'startedAt and endedAt must be epoch milliseconds (on the command line also ISO-8601 with a zone), endedAt not before startedAt.',
    area: 'call attempt',
  },
  SIPFLOW_INVALID_JSON: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'Each input line must be one JSON object (NDJSON).',
    area: 'call attempt',
  },
  SIPFLOW_INVALID_RULES: {
    exitStatus: EX_CONFIG,
    retryable: false,
    help: 'The rules file does not load or validate: `sipflow rules check FILE` shows the problem; docs/rules.md describes the format.',
    area: 'rules',
  },
  SIPFLOW_DECODE_MAGIC_BYTE: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'The record is not in the schema-registry wire format (magic byte 0, 4-byte schema id): check its producer.',
    area: 'decode',
  },
  SIPFLOW_DECODE_UNKNOWN_SCHEMA: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: "The record's schema id is not in the schema registry: its producer registered it elsewhere, or it was deleted.",
    area: 'decode',
  },
  SIPFLOW_DECODE_CORRUPT_AVRO: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'The Avro body does not decode with its writer schema (truncated, trailing bytes or corrupt): check its producer.',
    area: 'decode',
  },
  SIPFLOW_OVERSIZE_RECORD: {
    exitStatus: EX_DATAERR,
    retryable: false,
    help: 'The record is larger than MAX_RECORD_BYTES: fix its producer, or raise the limit if such records are legitimate.',
    area: 'decode',
  },
  SIPFLOW_REGISTRY_UNAVAILABLE: {
    exitStatus: EX_UNAVAILABLE,
    retryable: true,
    help: 'The schema registry did not answer: check SCHEMA_REGISTRY_URL and that the registry runs (`sipflow stack status`).',
    area: 'registry',
  },
  SIPFLOW_INVALID_CONFIG: {
    exitStatus: EX_CONFIG,
    retryable: false,
    help: 'A setting, topic or checkpoint is missing or invalid: the message names it; `sipflow <command> --help` lists the environment.',
    area: 'config',
  },
  SIPFLOW_KAFKA_AUTH: {
    exitStatus: EX_NOPERM,
    retryable: false,
    help: 'Kafka refused the connection: check KAFKA_SSL, KAFKA_SSL_CA_FILE and KAFKA_SASL_* (`sipflow stack env` prints those of a local stack).',
    area: 'auth',
  },
  SIPFLOW_REGISTRY_AUTH: {
    exitStatus: EX_NOPERM,
    retryable: false,
    help: 'The schema registry refused the request: check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD.',
    area: 'auth',
  },
  SIPFLOW_INTERNAL_ERROR: {
    exitStatus: EX_SOFTWARE,
    retryable: false,
    help: 'An unexpected failure, probably a bug: run again with SIPFLOW_DEBUG=1 for the stack trace and report it.',
    area: 'internal',
  },
  SIPFLOW_INVALID_OPTION: {
    exitStatus: EX_USAGE,
    retryable: false,
    help: 'An option is invalid or does not go with the others: see `sipflow <command> --help`.',
    area: 'usage',
  },
  SIPFLOW_KAFKA_UNAVAILABLE: {
    exitStatus: EX_UNAVAILABLE,
    retryable: true,
    help: 'No Kafka broker answered: check KAFKA_BROKERS and that the brokers run (`sipflow stack status`).',
    area: 'kafka',
  },
  SIPFLOW_KAFKA_CLIENT: {
    exitStatus: EX_UNAVAILABLE,
    retryable: false,
    help: 'KAFKA_CLIENT=confluent: the peer client is not installed, or sipflow does not wire what was asked to it; run `npm run peer:install`, or unset KAFKA_CLIENT to use kafkajs.',
    area: 'kafka',
  },
  SIPFLOW_STACK: {
    exitStatus: EX_UNAVAILABLE,
    retryable: false,
    help: 'A step of the local stack failed: read the log the message names; `sipflow stack status` shows what runs.',
    area: 'stack',
  },
  SIPFLOW_BENCH_FAILED: {
    exitStatus: EX_SOFTWARE,
    retryable: false,
    help: '`npm run bench` or `npm run soak` could not take a measurement: the measured process stalled or died, or the audit gave no report; the message carries their last output.',
    area: 'bench',
  },
  SIPFLOW_STATE_CORRUPT: {
    exitStatus: EX_SOFTWARE,
    retryable: false,
    help: 'A record of the per-number state changelog does not decode: it was written by something other than this sipflow version. The message names its partition and offset; docs/state.md says how to rebuild the state.',
    area: 'state',
  },
};
