import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ERROR_CATALOGUE,
  OTHER_EXIT_STATUSES,
  SIPFLOW_ERROR_CODES,
  SipflowError,
  SYSEXITS,
  SYSEXITS_RANGE,
  exitStatusOf,
  formatErrorReport,
  helpOf,
  isRetryable,
  isSipflowError,
  type ErrorEntry,
  type SipflowErrorCode,
} from '../src/index';

describe('ERROR_CATALOGUE', () => {
  it('has exactly one entry per code (the Record type enforces it at compile time too)', () => {
    expectTypeOf(ERROR_CATALOGUE).toEqualTypeOf<Readonly<Record<SipflowErrorCode, ErrorEntry>>>();
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual([...SIPFLOW_ERROR_CODES].sort());
    expect(new Set(SIPFLOW_ERROR_CODES).size).toBe(SIPFLOW_ERROR_CODES.length);
  });

  it('keeps every code the DLQ header may already carry', () => {
    // a contract with downstream consumers: codes are added, never renamed or removed
    expect(SIPFLOW_ERROR_CODES).toEqual(
      expect.arrayContaining([
        'SIPFLOW_MISSING_FIELD',
        'SIPFLOW_INVALID_FIELD',
        'SIPFLOW_INVALID_SIP_CODE',
        'SIPFLOW_INVALID_Q850_CAUSE',
        'SIPFLOW_INVALID_PHONE_NUMBER',
        'SIPFLOW_UNKNOWN_TIME_ZONE',
        'SIPFLOW_INVALID_TIMESTAMPS',
        'SIPFLOW_INVALID_JSON',
        'SIPFLOW_INVALID_RULES',
        'SIPFLOW_DECODE_MAGIC_BYTE',
        'SIPFLOW_DECODE_UNKNOWN_SCHEMA',
        'SIPFLOW_DECODE_CORRUPT_AVRO',
        'SIPFLOW_OVERSIZE_RECORD',
        'SIPFLOW_REGISTRY_UNAVAILABLE',
        'SIPFLOW_INVALID_CONFIG',
        'SIPFLOW_KAFKA_AUTH',
        'SIPFLOW_REGISTRY_AUTH',
        'SIPFLOW_INTERNAL_ERROR',
      ]),
    );
  });

  it.each(SIPFLOW_ERROR_CODES)('%s exits with a sysexits(3) status or a documented one', (code) => {
    const { exitStatus } = ERROR_CATALOGUE[code];
    const sysexit = exitStatus >= SYSEXITS_RANGE.min && exitStatus <= SYSEXITS_RANGE.max;
    if (sysexit) expect(Object.values(SYSEXITS)).toContain(exitStatus);
    else expect(OTHER_EXIT_STATUSES[exitStatus], `exit status ${exitStatus} is not documented`).toBeTruthy();
    // 0 is success and 1 is "ran and found problems": neither may stand for a failure
    expect(exitStatus).toBeGreaterThan(1);
  });

  it.each(SIPFLOW_ERROR_CODES)('%s has a one-line help', (code) => {
    const { help } = ERROR_CATALOGUE[code];
    expect(help.trim()).toBe(help);
    expect(help.length).toBeGreaterThan(20);
    expect(help).not.toContain('\n');
  });

  it('follows sysexits(3) for the status of each kind of failure', () => {
    const status = (code: SipflowErrorCode) => ERROR_CATALOGUE[code].exitStatus;
    expect(status('SIPFLOW_INVALID_OPTION')).toBe(64);
    expect(status('SIPFLOW_INVALID_SIP_CODE')).toBe(65);
    expect(status('SIPFLOW_INVALID_JSON')).toBe(65);
    expect(status('SIPFLOW_DECODE_CORRUPT_AVRO')).toBe(65);
    expect(status('SIPFLOW_KAFKA_UNAVAILABLE')).toBe(69);
    expect(status('SIPFLOW_REGISTRY_UNAVAILABLE')).toBe(69);
    expect(status('SIPFLOW_INTERNAL_ERROR')).toBe(70);
    expect(status('SIPFLOW_KAFKA_AUTH')).toBe(77);
    expect(status('SIPFLOW_INVALID_CONFIG')).toBe(78);
    expect(status('SIPFLOW_INVALID_RULES')).toBe(78);
  });
});

describe('exitStatusOf, isRetryable, helpOf', () => {
  it('read a coded error from the catalogue', () => {
    const err = new SipflowError('SIPFLOW_REGISTRY_UNAVAILABLE', 'no answer', { schemaId: 7 });
    expect(exitStatusOf(err)).toBe(69);
    expect(isRetryable(err)).toBe(true);
    expect(isRetryable(new SipflowError('SIPFLOW_INVALID_RULES', 'bad'))).toBe(false);
    expect(helpOf('SIPFLOW_REGISTRY_UNAVAILABLE')).toBe(ERROR_CATALOGUE.SIPFLOW_REGISTRY_UNAVAILABLE.help);
  });

  it('treat anything uncoded as SIPFLOW_INTERNAL_ERROR', () => {
    for (const thrown of [new Error('boom'), 'a string', undefined, { code: 'SIPFLOW_INVALID_JSON' }]) {
      expect(exitStatusOf(thrown)).toBe(70);
      expect(isRetryable(thrown)).toBe(false);
    }
  });
});

describe('SipflowError', () => {
  it('keeps its constructor: code, message, details, cause', () => {
    const cause = new Error('inner');
    const err = new SipflowError(
      'SIPFLOW_INVALID_FIELD',
      'leadId must be a string',
      { field: 'leadId' },
      { cause },
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'SipflowError',
      code: 'SIPFLOW_INVALID_FIELD',
      details: { field: 'leadId' },
    });
    expect(err.cause).toBe(cause);
    expect(new SipflowError('SIPFLOW_INVALID_JSON', 'x').details).toEqual({});
    expect(isSipflowError(err, 'SIPFLOW_INVALID_FIELD')).toBe(true);
    expect(isSipflowError(err, 'SIPFLOW_INVALID_JSON')).toBe(false);
  });
});

describe('formatErrorReport', () => {
  it('prints the code and message, then the help indented', () => {
    expect(formatErrorReport({ code: 'SIPFLOW_INVALID_OPTION', message: '--diff only with --dry-run' })).toBe(
      `sipflow: SIPFLOW_INVALID_OPTION: --diff only with --dry-run\n  ${ERROR_CATALOGUE.SIPFLOW_INVALID_OPTION.help}\n`,
    );
  });
});
