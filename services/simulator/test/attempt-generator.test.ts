import type { CallAttempt } from '@sipflow/codec';
import { describe, expect, it } from 'vitest';
import { createAttemptGenerator } from '../src/attempt-generator';
import { MAX_ATTEMPTS } from '../src/lead-pool';
import { contractViolations } from './support/call-attempt-contract';

const N = 20_000;
const generate = (seed: number, n = N): CallAttempt[] => {
  const gen = createAttemptGenerator({ seed });
  return Array.from({ length: n }, () => gen.next());
};
const share = (events: CallAttempt[], pred: (e: CallAttempt) => boolean) =>
  events.filter(pred).length / events.length;

describe('createAttemptGenerator', () => {
  const events = generate(42);

  it('gives the same sequence for the same seed, and another for another seed', () => {
    expect(generate(42, 500)).toEqual(events.slice(0, 500));
    expect(generate(43, 500).map((e) => e.eventId)).not.toEqual(events.slice(0, 500).map((e) => e.eventId));
  });

  it('ends events at the given time, and otherwise on its own clock from startTime', () => {
    const gen = createAttemptGenerator({ seed: 1, startTime: 1_000_000 });
    expect(gen.next(5_000_000).endedAt).toBe(5_000_000);
    const own = gen.next();
    expect(own.endedAt).toBeGreaterThanOrEqual(5_000_000);
    expect(own.endedAt).toBeLessThanOrEqual(5_000_200);
  });

  it('only produces events that satisfy the contract', () => {
    const bad = events.map((e) => ({ e, why: contractViolations(e) })).filter((x) => x.why.length > 0);
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('gives unique v4-shaped event ids', () => {
    expect(new Set(events.map((e) => e.eventId)).size).toBe(N);
    for (const e of events.slice(0, 1000)) {
      expect(e.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('has the mix a dialer sees: mostly 480/486/200, rarely 403/607/608', () => {
    const common = share(events, (e) => [480, 486, 200].includes(e.sipCode));
    const rare = share(events, (e) => [403, 607, 608].includes(e.sipCode));
    expect(common).toBeGreaterThan(0.5);
    expect(rare).toBeGreaterThan(0);
    expect(rare).toBeLessThan(0.05);
    const codes = new Set(events.map((e) => e.sipCode));
    for (const code of [200, 403, 404, 408, 410, 484, 486, 487, 480, 500, 503, 600, 603, 604, 607, 608]) {
      expect(codes, `code ${code}`).toContain(code);
    }
  });

  it('gives Q.850 causes consistent with the SIP code, sometimes none', () => {
    const causesOf = (code: number) =>
      new Set(events.filter((e) => e.sipCode === code).map((e) => e.q850Cause));
    expect([...causesOf(404)].sort()).toEqual([1, null].sort());
    expect(causesOf(486)).toEqual(new Set([17, 34, 42, 47, null]));
    expect(causesOf(480)).toEqual(new Set([18, 19, null]));
    expect(causesOf(403)).toEqual(new Set([21, null]));
    const busy = events.filter((e) => e.sipCode === 486);
    expect(share(busy, (e) => e.q850Cause === 17)).toBeGreaterThan(0.6);
  });

  it('sets Retry-After only on some 503/486/480', () => {
    const withRetryAfter = events.filter((e) => e.retryAfterSeconds !== null);
    expect(new Set(withRetryAfter.map((e) => e.sipCode))).toEqual(new Set([503, 486, 480]));
    expect(withRetryAfter.length / N).toBeLessThan(0.15);
  });

  it('re-dials leads with a rising attempt number, up to the maximum', () => {
    const byLead = new Map<string, number[]>();
    for (const e of events) byLead.set(e.leadId, [...(byLead.get(e.leadId) ?? []), e.attemptNumber]);
    for (const attempts of byLead.values()) {
      expect(attempts).toEqual(attempts.map((_, i) => i + 1));
    }
    expect(Math.max(...events.map((e) => e.attemptNumber))).toBe(MAX_ATTEMPTS);
    expect(byLead.size).toBeLessThan(N / 2);
  });

  it('stops dialling a lead after an outcome that closes it', () => {
    const closing = new Set([200, 403, 404, 410, 484, 603, 604, 607, 608]);
    const closed = new Set<string>();
    for (const e of events) {
      expect(closed.has(e.leadId), `${e.leadId} dialled after closing`).toBe(false);
      if (closing.has(e.sipCode)) closed.add(e.leadId);
    }
  });

  it('spreads leads over countries with matching time zones, ~5% without one', () => {
    const zones = new Set(events.map((e) => e.leadTimezone));
    for (const zone of ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles']) {
      expect(zones).toContain(zone);
    }
    for (const zone of ['America/Toronto', 'Europe/London', 'Europe/Berlin', 'Australia/Sydney']) {
      expect(zones).toContain(zone);
    }
    const prefixOf: Record<string, string> = {
      'Europe/London': '+44',
      'Europe/Berlin': '+49',
      'Australia/Sydney': '+61',
    };
    for (const e of events) {
      if (e.leadTimezone === null) continue;
      expect(
        e.phoneNumber.startsWith(prefixOf[e.leadTimezone] ?? '+1'),
        `${e.phoneNumber} ${e.leadTimezone}`,
      ).toBe(true);
    }
    const leads = [...new Map(events.map((e) => [e.leadId, e])).values()];
    const noZone = share(leads, (e) => e.leadTimezone === null);
    expect(noZone).toBeGreaterThan(0.02);
    expect(noZone).toBeLessThan(0.08);
  });

  it('mostly sets caller ID and carrier', () => {
    expect(share(events, (e) => e.callerId !== null)).toBeGreaterThan(0.85);
    expect(share(events, (e) => e.carrier !== null)).toBeGreaterThan(0.9);
    expect(new Set(events.map((e) => e.campaignId)).size).toBeGreaterThanOrEqual(3);
  });

  it('gives realistic durations: 5–40 s of ringing, talk time only when answered', () => {
    const seconds = (e: CallAttempt) => (e.endedAt - e.startedAt) / 1000;
    for (const e of events.filter((x) => x.sipCode === 480)) {
      expect(seconds(e)).toBeGreaterThanOrEqual(5);
      expect(seconds(e)).toBeLessThanOrEqual(40);
    }
    const answered = events.filter((e) => e.sipCode === 200).map(seconds);
    expect(Math.min(...answered)).toBeGreaterThanOrEqual(10);
    expect(answered.reduce((a, b) => a + b, 0) / answered.length).toBeGreaterThan(60);
  });

  describe('answering-machine detection', () => {
    const withAmd = (() => {
      const gen = createAttemptGenerator({ seed: 42, answeringMachineDetection: true });
      return Array.from({ length: N }, () => gen.next());
    })();

    it('is off by default: every answeredBy null', () => {
      expect(events.filter((e) => e.answeredBy !== null)).toEqual([]);
    });

    it('reports who answered each 200, and only 200s, in the four values, machines the most after people', () => {
      const answered = withAmd.filter((e) => e.sipCode === 200);
      expect(answered.every((e) => e.answeredBy !== null)).toBe(true);
      expect(withAmd.filter((e) => e.sipCode !== 200 && e.answeredBy !== null)).toEqual([]);
      const by = (v: string) => share(answered, (e) => e.answeredBy === v);
      expect(by('HUMAN')).toBeGreaterThan(0.45);
      expect(by('MACHINE')).toBeGreaterThan(0.25);
      expect(by('MACHINE')).toBeLessThan(by('HUMAN'));
      expect(by('UNKNOWN')).toBeGreaterThan(0);
      expect(by('FAX')).toBeGreaterThan(0);
      expect(by('FAX')).toBeLessThan(by('UNKNOWN'));
    });

    it('calls a lead whose voicemail answered again, and no other answered lead', () => {
      const machineLeads = new Set(withAmd.filter((e) => e.answeredBy === 'MACHINE').map((e) => e.leadId));
      const closedByAnswer = new Map<string, number>();
      withAmd.forEach((e, i) => {
        if (e.sipCode === 200 && e.answeredBy !== 'MACHINE') closedByAnswer.set(e.leadId, i);
      });
      const calledAgainAfterMachine = withAmd.filter(
        (e, i) =>
          machineLeads.has(e.leadId) &&
          withAmd.findIndex((x) => x.leadId === e.leadId && x.answeredBy === 'MACHINE') < i,
      );
      expect(calledAgainAfterMachine.length).toBeGreaterThan(0);
      for (const [lead, at] of closedByAnswer) {
        expect(
          withAmd.slice(at + 1).some((e) => e.leadId === lead),
          lead,
        ).toBe(false);
      }
    });

    it('changes no other field of any event when turned on (its own PRNG stream) until a machine keeps a lead open', () => {
      const strip = ({ answeredBy: _a, ...rest }: CallAttempt) => rest;
      let compared = 0;
      for (let seed = 1; seed <= 50; seed++) {
        const off = createAttemptGenerator({ seed });
        const on = createAttemptGenerator({ seed, answeringMachineDetection: true });
        // up to and including the first machine answer: after it, that lead stays in the pool
        for (let i = 0; i < 1000; i++) {
          const a = off.next();
          const b = on.next();
          expect(strip(b), `seed ${seed}, event ${i}`).toEqual(strip(a));
          compared++;
          if (b.answeredBy === 'MACHINE') break;
        }
      }
      expect(compared).toBeGreaterThan(200); // about 1 event in 14 is a machine answer
    });
  });
});
