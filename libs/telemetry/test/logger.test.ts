import { describe, expect, it } from 'vitest';
import { SipflowError } from '@sipflow/errors';
import { createLogger, type LoggerOptions } from '../src/index';

const PHONE = '+14155550123';
const MASKED = '+14*******23';

function capture(opts: Omit<LoggerOptions, 'destination'> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ ...opts, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with the name and level', () => {
    const { logger, lines, parsed } = capture({ name: 'processor', level: 'warn' });
    logger.info('dropped below the level');
    logger.warn({ topic: 'call-attempts.raw' }, 'lagging');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(parsed()[0]).toMatchObject({
      name: 'processor',
      level: 40,
      topic: 'call-attempts.raw',
      msg: 'lagging',
    });
  });

  it('masks phoneNumber and callerId fields at the top level, nested, and inside arrays', () => {
    const { logger, lines, parsed } = capture();
    logger.info(
      {
        phoneNumber: PHONE,
        callerId: '+442071838750',
        event: { eventId: 'e-1', phoneNumber: PHONE, callerId: null },
        batch: { events: [{ phoneNumber: '4155550123' }] },
      },
      'classified',
    );
    expect(lines.join('')).not.toContain('4155550123');
    expect(parsed()[0]).toMatchObject({
      phoneNumber: MASKED,
      callerId: '+44********50',
      event: { eventId: 'e-1', phoneNumber: MASKED, callerId: null },
      batch: { events: [{ phoneNumber: '41******23' }] },
    });
  });

  it('masks phone numbers in messages, printf arguments, errors and fields of any name', () => {
    const { logger, lines } = capture();
    logger.info(`dialing ${PHONE}`);
    logger.info('retry for %s scheduled', PHONE);
    logger.error({ err: new Error(`phoneNumber must be E.164, got "${PHONE}"`) }, 'invalid event');
    logger.child({ lead: { contact: { alternate: { number: PHONE } } } }).warn('deep');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toContain('4155550123');
      expect(line).toContain(MASKED);
    }
  });

  it('redacts credentials', () => {
    const { logger, lines, parsed } = capture();
    logger.info(
      {
        password: 's3cret-top',
        sasl: { mechanism: 'scram-sha-512', username: 'sipflow', password: 's3cret-sasl' },
        auth: { password: 's3cret-auth' },
        ssl: { key: 's3cret-key' },
        config: { kafka: { password: 's3cret-deep' } },
        authorization: 'Bearer s3cret-token',
        headers: { authorization: 'Basic s3cret-basic' },
      },
      'connecting',
    );
    expect(lines.join('')).not.toContain('s3cret');
    expect(parsed()[0]).toMatchObject({
      password: '[REDACTED]',
      sasl: { mechanism: 'scram-sha-512', username: 'sipflow', password: '[REDACTED]' },
      auth: { password: '[REDACTED]' },
      ssl: { key: '[REDACTED]' },
      config: { kafka: { password: '[REDACTED]' } },
      authorization: '[REDACTED]',
      headers: { authorization: '[REDACTED]' },
    });
  });

  it('keeps a top-level record key, which is a lead id and not a secret', () => {
    const { logger, parsed } = capture();
    logger.info({ key: 'lead-42' }, 'produced');
    expect(parsed()[0]).toMatchObject({ key: 'lead-42' });
  });

  it('writes a SipflowError logged as { err } with its type, message, stack, code and details', () => {
    const { logger, parsed } = capture();
    const cause = new Error('ENOENT: no such file or directory');
    logger.error(
      {
        err: new SipflowError(
          'SIPFLOW_INVALID_RULES',
          'rules.yaml: cannot read',
          { source: 'rules.yaml' },
          { cause },
        ),
      },
      'rules not loaded',
    );
    const { err } = parsed()[0] as { err: Record<string, unknown> };
    expect(err).toMatchObject({
      type: 'SipflowError',
      code: 'SIPFLOW_INVALID_RULES',
      details: { source: 'rules.yaml' },
    });
    // the standard serializer appends the cause to the message and the stack
    expect(err.message).toBe('rules.yaml: cannot read: ENOENT: no such file or directory');
    expect(err.stack).toMatch(/^SipflowError: rules\.yaml: cannot read\n\s+at /);
    expect(err.stack).toContain('caused by: Error: ENOENT');
  });

  it('uses the same serializer in child loggers and for an error passed on its own', () => {
    const { logger, parsed } = capture();
    logger
      .child({ component: 'consumer' })
      .warn({ err: new SipflowError('SIPFLOW_KAFKA_UNAVAILABLE', 'down') });
    logger.error(new SipflowError('SIPFLOW_STACK', 'java exited'));
    expect(parsed().map((line) => (line.err as { code: string }).code)).toEqual([
      'SIPFLOW_KAFKA_UNAVAILABLE',
      'SIPFLOW_STACK',
    ]);
  });

  it('masks an E.164 number in an error message, stack and details', () => {
    const { logger, lines, parsed } = capture();
    logger.warn({
      err: new SipflowError('SIPFLOW_INVALID_FIELD', `bad lead ${PHONE}`, { lead: { alt: PHONE } }),
    });
    expect(lines.join('')).not.toContain('4155550123');
    expect(parsed()[0]).toMatchObject({
      err: { message: `bad lead ${MASKED}`, details: { lead: { alt: MASKED } } },
    });
  });

  it('masks an invalid phone number (which looks like no E.164 number) in a phone-number error', () => {
    const { logger, lines, parsed } = capture();
    for (const [field, value] of [
      ['phoneNumber', '4155550123'],
      ['callerId', '+1 415-555-0123'],
    ]) {
      const err = new SipflowError(
        'SIPFLOW_INVALID_PHONE_NUMBER',
        `${field} must be an E.164 number such as "+14155550123", got ${JSON.stringify(value)}`,
        { field, value },
      );
      logger.warn({ err }, 'dead letter');
      // the thrown error itself is untouched: only the log line is masked
      expect(err.details.value).toBe(value);
    }
    const joined = lines.join('');
    expect(joined).not.toContain('4155550123');
    expect(joined).not.toContain('415-555-0123');
    expect(parsed().map((line) => (line.err as { details: unknown }).details)).toEqual([
      { field: 'phoneNumber', value: '41******23' },
      { field: 'callerId', value: '+1 4**-***-**23' },
    ]);
    expect((parsed()[0]!.err as { message: string }).message).toMatch(/, got "41\*{6}23"$/);
  });
});
