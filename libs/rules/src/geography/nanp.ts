import { NANP_AREA_CODES } from './nanp-area-codes';

/** Where a NANP number's area code was assigned (see nanp-area-codes.ts for the source and its limits). */
export interface NanpGeography {
  /** ISO 3166-2 subdivision (US-FL, CA-ON, US-PR), or the ISO 3166-1 country when there is none. */
  readonly region: string;
  /** Every IANA zone the area code's territory spans: a retry has to be inside the window in each. */
  readonly zones: readonly string[];
  /** The NPA, e.g. "850". */
  readonly areaCode: string;
}

// "+1" and the ten digits of a NANP number: the NPA and seven more. The exchange and line digits are
// not checked here; isE164PhoneNumber and the dialled outcome (404) judge the number itself.
const NANP_E164_LENGTH = 12;

// One frozen answer per NPA, built once, so a lookup is a scan of twelve characters and an array
// index, with no allocation.
const BY_AREA_CODE: readonly (NanpGeography | undefined)[] = (() => {
  const table: (NanpGeography | undefined)[] = new Array<NanpGeography | undefined>(1000).fill(undefined);
  for (const [areaCode, { region, zones }] of Object.entries(NANP_AREA_CODES)) {
    table[Number(areaCode)] = Object.freeze({ region, zones: Object.freeze([...zones]), areaCode });
  }
  return table;
})();

/**
 * The region and IANA zones of a +1 number's area code, or null when the number is not +1 and ten
 * digits, or its area code is not a geographic one in the table (toll-free, 900, 5XX, N11, or opened
 * after the table was generated).
 */
export function nanpGeography(e164: string): NanpGeography | null {
  // Character codes rather than a regex: no match array per call on the classify path.
  if (typeof e164 !== 'string' || e164.length !== NANP_E164_LENGTH) return null;
  if (e164.charCodeAt(0) !== 43 /* + */ || e164.charCodeAt(1) !== 49 /* 1 */) return null;
  let areaCode = 0;
  for (let index = 2; index < NANP_E164_LENGTH; index++) {
    const digit = e164.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return null;
    if (index < 5) areaCode = areaCode * 10 + digit;
  }
  return BY_AREA_CODE[areaCode] ?? null;
}
