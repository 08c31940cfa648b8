import { describe, expect, it } from 'vitest';
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
});
