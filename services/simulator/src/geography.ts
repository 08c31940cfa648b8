import { weightedPicker, type Prng } from './prng';

export type Country = 'US' | 'CA' | 'GB' | 'DE' | 'AU';

/** A numbering area: an E.164 prefix (country code + area or mobile range) and its time zone. */
type Region = { country: Country; prefix: string; subscriberDigits: number; timeZone: string };

const r = (country: Country, prefix: string, subscriberDigits: number, timeZone: string): Region => ({
  country,
  prefix,
  subscriberDigits,
  timeZone,
});

// Weighted like a North-America-heavy dialer with UK, German and Australian campaigns.
// prettier-ignore
const REGIONS: ReadonlyArray<readonly [Region, number]> = [
  [r('US', '+1212', 7, 'America/New_York'), 8],
  [r('US', '+1718', 7, 'America/New_York'), 5],
  [r('US', '+1305', 7, 'America/New_York'), 5],
  [r('US', '+1312', 7, 'America/Chicago'), 6],
  [r('US', '+1214', 7, 'America/Chicago'), 5],
  [r('US', '+1713', 7, 'America/Chicago'), 5],
  [r('US', '+1303', 7, 'America/Denver'), 4],
  [r('US', '+1801', 7, 'America/Denver'), 2],
  [r('US', '+1213', 7, 'America/Los_Angeles'), 7],
  [r('US', '+1415', 7, 'America/Los_Angeles'), 5],
  [r('US', '+1206', 7, 'America/Los_Angeles'), 4],
  [r('CA', '+1416', 7, 'America/Toronto'), 5],
  [r('CA', '+1647', 7, 'America/Toronto'), 3],
  [r('GB', '+4420', 8, 'Europe/London'), 8],
  [r('GB', '+447', 9, 'Europe/London'), 6],
  [r('DE', '+4930', 8, 'Europe/Berlin'), 4],
  [r('DE', '+4989', 8, 'Europe/Berlin'), 3],
  [r('DE', '+49151', 8, 'Europe/Berlin'), 3],
  [r('AU', '+612', 8, 'Australia/Sydney'), 5],
  [r('AU', '+614', 8, 'Australia/Sydney'), 3],
];

const CARRIERS: Readonly<Record<Country, readonly string[]>> = {
  US: ['bandwidth-us', 'telnyx-us', 'twilio-us'],
  CA: ['bandwidth-us', 'telnyx-us'],
  GB: ['bt-wholesale', 'colt-uk'],
  DE: ['colt-de', 'sipgate-trunk'],
  AU: ['telstra-wholesale', 'vocus-au'],
};

export const pickRegion = weightedPicker(REGIONS);

const regionPickerByCountry = new Map(
  (['US', 'CA', 'GB', 'DE', 'AU'] as const).map((country) => [
    country,
    weightedPicker(REGIONS.filter(([region]) => region.country === country)),
  ]),
);

/** An E.164 number in the region; the first subscriber digit is 2–9, as numbering plans require. */
export function phoneNumberIn(region: Region, rng: Prng): string {
  let digits = String(rng.int(2, 9));
  for (let i = 1; i < region.subscriberDigits; i++) digits += String(rng.int(0, 9));
  return region.prefix + digits;
}

/** A local-presence caller ID: a number from some region of the called party's country. */
export function callerIdFor(country: Country, rng: Prng): string {
  return phoneNumberIn(regionPickerByCountry.get(country)!(rng), rng);
}

export function pickCarrier(country: Country, rng: Prng): string {
  return rng.pick(CARRIERS[country]);
}
