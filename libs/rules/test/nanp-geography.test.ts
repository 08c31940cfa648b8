import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NANP_AREA_CODES, nanpGeography } from '@sipflow/rules';

// Hand-checked rows, checked 2026-12-01: the region against the area code's assignment as given in
// its Wikipedia article (which cites NANPA's assignment) and ISO 3166-2:US / 3166-2:CA; the zone
// against the IANA tz database's zone.tab comment for it (America/Phoenix "MST - AZ (except
// Navajo)", Pacific/Honolulu "Hawaii", America/Toronto "Eastern - ON & QC (most areas)",
// America/Puerto_Rico for PR). 850: the Florida panhandle west of the Apalachicola River keeps
// Central time (49 CFR part 71), the rest of it Eastern.
describe('nanpGeography: hand-checked area codes', () => {
  it.each([
    ['+13055550123', '305', 'US-FL', ['America/New_York'], 'Miami'],
    ['+12125550123', '212', 'US-NY', ['America/New_York'], 'Manhattan'],
    ['+14155550123', '415', 'US-CA', ['America/Los_Angeles'], 'San Francisco'],
    ['+18085550123', '808', 'US-HI', ['Pacific/Honolulu'], 'Hawaii'],
    ['+16025550123', '602', 'US-AZ', ['America/Phoenix'], 'Phoenix, no DST'],
    ['+14165550123', '416', 'CA-ON', ['America/Toronto'], 'Toronto'],
    ['+17875550123', '787', 'US-PR', ['America/Puerto_Rico'], 'Puerto Rico (ISO 3166-2:US outlying area)'],
    ['+19395550123', '939', 'US-PR', ['America/Puerto_Rico'], 'Puerto Rico overlay'],
  ])('%s: %s is %s %j (%s)', (phone, areaCode, region, zones) => {
    expect(nanpGeography(phone)).toEqual({ region, zones, areaCode });
  });

  it('850 (Florida panhandle) spans the Central and Eastern zones', () => {
    const geography = nanpGeography('+18505550123');
    expect(geography?.region).toBe('US-FL');
    expect(geography?.zones).toEqual(['America/Chicago', 'America/New_York']);
  });

  it('907 is Alaska', () => {
    const geography = nanpGeography('+19075550123');
    expect(geography?.region).toBe('US-AK');
    expect(geography?.zones).toContain('America/Anchorage');
  });

  // Caribbean countries with no subdivision for a whole-country code get their ISO 3166-1 code; the
  // US territories their ISO 3166-2:US code.
  it.each([
    ['+18765550123', 'JM'],
    ['+18095550123', 'DO'],
    ['+18295550123', 'DO'],
    ['+12425550123', 'BS'],
    ['+13405550123', 'US-VI'],
    ['+16715550123', 'US-GU'],
    ['+16845550123', 'US-AS'],
    ['+16705550123', 'US-MP'],
  ])('%s is %s', (phone, region) => {
    expect(nanpGeography(phone)?.region).toBe(region);
  });

  it('an area code spanning two provinces gets the country: 902 (Nova Scotia and PEI) is CA', () => {
    expect(nanpGeography('+19025550123')).toEqual({
      region: 'CA',
      zones: ['America/Halifax'],
      areaCode: '902',
    });
  });

  // Overlays share their base's territory (the regulators' orders, checked 2026-12-01: Florida PSC
  // for 448 over 850 and 689 over 407, Oregon PUC for 458 over 541), so they share its zones.
  it.each([
    ['448', '850'],
    ['458', '541'],
    ['689', '407'],
  ])('overlay %s has the zones of %s', (overlay, base) => {
    expect(nanpGeography(`+1${overlay}5550123`)?.zones).toEqual(nanpGeography(`+1${base}5550123`)?.zones);
  });
  it('448 includes the Central zone of the panhandle, 689 (Orlando) only the Eastern one', () => {
    expect(nanpGeography('+14485550123')?.zones).toContain('America/Chicago');
    expect(nanpGeography('+16895550123')?.zones).toEqual(['America/New_York']);
  });
});

describe('nanpGeography: null', () => {
  it.each([
    '800',
    '833',
    '844',
    '855',
    '866',
    '877',
    '888',
    '900',
    '500',
    '521',
    '533',
    '544',
    '566',
    '577',
    '588',
    '600',
    '622',
    '700',
    '710',
    '456',
    '211',
    '311',
    '411',
    '611',
    '711',
    '811',
    '911',
  ])('non-geographic NPA %s', (npa) => {
    expect(nanpGeography(`+1${npa}5550123`)).toBeNull();
  });

  it.each([
    ['+442071838750', 'UK'],
    ['+33612345678', 'France'],
    ['+79161234567', 'Russia (+7, not +1)'],
  ])('not +1: %s (%s)', (phone) => {
    expect(nanpGeography(phone)).toBeNull();
  });

  it.each([
    ['', 'empty'],
    ['13055550123', 'no plus sign'],
    ['+1305555012', 'nine digits after +1'],
    ['+130555501234', 'eleven digits after +1'],
    ['+1 305 555 0123', 'spaces'],
    ['+1-305-555-0123', 'dashes'],
    ['+1305555012a', 'a letter'],
    [' +13055550123', 'leading space'],
    ['+13055550123\n', 'trailing newline'],
  ])('malformed: %j (%s)', (phone) => {
    expect(nanpGeography(phone)).toBeNull();
  });

  it('is null for anything that is not +1 and ten digits', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/^\+1\d{10}$/.test(text));
        expect(nanpGeography(text)).toBeNull();
      }),
    );
  });
});

describe('nanpGeography: the table', () => {
  const entries = Object.entries(NANP_AREA_CODES);

  it('answers every +1 number of a listed area code with that entry', () => {
    const codes = Object.keys(NANP_AREA_CODES);
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.stringMatching(/^\d{7}$/), (areaCode, rest) => {
        const entry = NANP_AREA_CODES[areaCode];
        expect(nanpGeography(`+1${areaCode}${rest}`)).toEqual({ ...entry, areaCode });
      }),
    );
  });

  it('keys are NPAs: N then two digits, no N11 service code', () => {
    for (const [areaCode] of entries) {
      expect(areaCode).toMatch(/^[2-9]\d\d$/);
      expect(areaCode.slice(1)).not.toBe('11');
    }
  });

  it('every region is an ISO 3166 code: a country, or a country and a subdivision', () => {
    for (const [areaCode, { region }] of entries) {
      expect(region, areaCode).toMatch(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/);
    }
  });

  it('every zone is an IANA zone this runtime knows (Intl), listed once, in order', () => {
    for (const [areaCode, { zones }] of entries) {
      expect(zones.length, areaCode).toBeGreaterThan(0);
      expect([...zones].sort(), areaCode).toEqual(zones);
      expect(new Set(zones).size, areaCode).toBe(zones.length);
      for (const zone of zones) {
        expect(
          () => new Intl.DateTimeFormat('en-US', { timeZone: zone }),
          `${areaCode} ${zone}`,
        ).not.toThrow();
      }
    }
  });

  it('has a plausible count: over 300 US, over 40 Canadian, every Caribbean country', () => {
    const us = entries.filter(([, { region }]) => region.startsWith('US')).length;
    const canada = entries.filter(([, { region }]) => region.startsWith('CA')).length;
    expect(us).toBeGreaterThan(300);
    expect(canada).toBeGreaterThan(40);
    const countries = new Set(entries.map(([, { region }]) => region));
    for (const country of [
      'AG',
      'AI',
      'BB',
      'BM',
      'BS',
      'DM',
      'DO',
      'GD',
      'JM',
      'KN',
      'KY',
      'LC',
      'MS',
      'SX',
      'TC',
      'TT',
      'VC',
      'VG',
    ]) {
      expect(countries, country).toContain(country);
    }
  });

  it('states split between zones (49 CFR part 71) each have an area code with several zones', () => {
    const multiZoneStates = new Set(
      entries.filter(([, { zones }]) => zones.length > 1).map(([, { region }]) => region),
    );
    for (const state of ['IN', 'KY', 'TN', 'OR', 'ID', 'ND', 'SD', 'NE', 'KS', 'MI', 'FL']) {
      expect(multiZoneStates, state).toContain(`US-${state}`);
    }
  });
});
