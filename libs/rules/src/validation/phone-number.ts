import { Metadata, getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

/**
 * E.164 check, built once from libphonenumber's metadata and then allocation-free.
 *
 * libphonenumber's own isPossiblePhoneNumber() costs several microseconds a call (it parses the
 * text and builds metadata objects every time), too slow for the classify hot path. An E.164
 * number is `+`, a country calling code, then the national significant number with no national
 * prefix, so "possible" reduces to: the calling code exists, and the national part has one of the
 * lengths that libphonenumber's metadata allows for it. Calling codes are prefix-free (ITU-T
 * E.164), so at most one of the 1-, 2- and 3-digit prefixes is a calling code.
 *
 * This is deliberately not libphonenumber's "valid" check: number-range patterns go stale as
 * regulators open ranges, and a dialled number in an unknown range is a call outcome (404), not
 * malformed input.
 */
const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

// Index = the calling code as a number; value = bit mask of allowed national lengths (0: no such code).
const LENGTHS_BY_CODE: readonly Uint32Array[] = [
  new Uint32Array(10),
  new Uint32Array(100),
  new Uint32Array(1000),
];

function addPlan(callingCode: string, lengths: readonly number[]): void {
  const table = LENGTHS_BY_CODE[callingCode.length - 1];
  if (table === undefined) return;
  let mask = table[Number(callingCode)] ?? 0;
  for (const length of lengths) mask |= 1 << length;
  table[Number(callingCode)] = mask;
}

function buildTables(): void {
  const plans = new Metadata(metadata);
  // Several countries share a calling code (+1, +7, +44...): accept the union of their lengths.
  for (const country of getCountries(metadata)) {
    plans.selectNumberingPlan(country);
    addPlan(getCountryCallingCode(country, metadata), plans.numberingPlan?.possibleLengths() ?? []);
  }
  // Non-geographic codes (+800, +881...) are selected by calling code, not by country.
  for (const callingCode of Object.keys(metadata.nonGeographic ?? {})) {
    plans.selectNumberingPlan(callingCode as CountryCode);
    addPlan(callingCode, plans.numberingPlan?.possibleLengths() ?? []);
  }
}
buildTables();

function digitAt(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

/** True when `phone` is a possible E.164 number: `+`, a known calling code, an allowed length. */
export function isE164PhoneNumber(phone: string): boolean {
  if (!E164_SHAPE.test(phone)) return false;
  const digits = phone.length - 1;
  let code = 0;
  for (let codeLength = 1; codeLength <= 3; codeLength++) {
    code = code * 10 + digitAt(phone, codeLength);
    const mask = LENGTHS_BY_CODE[codeLength - 1]?.[code] ?? 0;
    if (mask !== 0) return (mask & (1 << (digits - codeLength))) !== 0;
  }
  return false;
}
