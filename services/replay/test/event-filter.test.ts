import { describe, expect, it } from 'vitest';
import {
  hasFieldFilters,
  inTimeWindow,
  matchesFields,
  parseCampaigns,
  parseSipCodes,
} from '../src/event-filter';

describe('event filters', () => {
  it('parses SIP codes and classes', () => {
    expect(parseSipCodes('603, 486,5XX')).toEqual({ codes: [486, 603], classes: [5] });
    expect(() => parseSipCodes('486,7xx')).toThrow(/invalid --sip-code: "7xx"/);
    expect(() => parseSipCodes('99')).toThrow(/invalid --sip-code/);
  });

  it('parses repeated and comma-separated campaigns', () => {
    expect(parseCampaigns(['a,b', 'c', 'a'])).toEqual(['a', 'b', 'c']);
    expect(() => parseCampaigns(['a,,b'])).toThrow(/--campaign/);
  });

  it('matches on campaign and SIP code (code or class)', () => {
    const filter = { campaigns: ['spring'], sipCodes: parseSipCodes('486,5xx') };
    expect(hasFieldFilters(filter)).toBe(true);
    expect(matchesFields(filter, { campaignId: 'spring', sipCode: 486 })).toBe(true);
    expect(matchesFields(filter, { campaignId: 'spring', sipCode: 503 })).toBe(true);
    expect(matchesFields(filter, { campaignId: 'spring', sipCode: 480 })).toBe(false);
    expect(matchesFields(filter, { campaignId: 'autumn', sipCode: 486 })).toBe(false);
    expect(hasFieldFilters({ from: 1 })).toBe(false);
    expect(matchesFields({}, { campaignId: 'x', sipCode: 200 })).toBe(true);
  });

  it('keeps record timestamps in [from, to)', () => {
    const f = { from: 100, to: 200 };
    expect([99, 100, 199, 200].map((t) => inTimeWindow(f, t))).toEqual([false, true, true, false]);
    expect(inTimeWindow({}, 0)).toBe(true);
  });
});
