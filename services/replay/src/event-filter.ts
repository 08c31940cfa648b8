import { invalidOption } from './errors';

/** --sip-code: exact codes and classes, e.g. `486,603,5xx`. */
export type SipCodeMatch = { codes: number[]; classes: number[] };

export type EventFilter = {
  campaigns?: readonly string[];
  sipCodes?: SipCodeMatch;
  /** record timestamps, epoch ms: [from, to) */
  from?: number;
  to?: number;
};

export function parseSipCodes(text: string, option = '--sip-code'): SipCodeMatch {
  const codes = new Set<number>();
  const classes = new Set<number>();
  for (const entry of text.split(',').map((s) => s.trim().toLowerCase())) {
    const klass = /^([1-6])xx$/.exec(entry);
    if (klass) classes.add(Number(klass[1]));
    else if (/^[1-6]\d\d$/.test(entry)) codes.add(Number(entry));
    else throw invalidOption(option, `"${entry}" (expected a SIP code 100-699 or a class such as 4xx)`);
  }
  return { codes: [...codes].sort((a, b) => a - b), classes: [...classes].sort((a, b) => a - b) };
}

/** --campaign may be repeated and each may be a comma-separated list. */
export function parseCampaigns(values: readonly string[]): string[] {
  const all = values.flatMap((v) => v.split(',')).map((s) => s.trim());
  if (all.some((c) => c === '')) throw invalidOption('--campaign', 'an empty campaign id');
  return [...new Set(all)];
}

/** Filters that need the decoded event (and so cannot keep a record that does not decode). */
export function hasFieldFilters(filter: EventFilter): boolean {
  return filter.campaigns !== undefined || filter.sipCodes !== undefined;
}

export function inTimeWindow(filter: EventFilter, timestamp: number): boolean {
  return (
    (filter.from === undefined || timestamp >= filter.from) &&
    (filter.to === undefined || timestamp < filter.to)
  );
}

export function matchesFields(filter: EventFilter, event: { campaignId: string; sipCode: number }): boolean {
  if (filter.campaigns && !filter.campaigns.includes(event.campaignId)) return false;
  const sip = filter.sipCodes;
  if (sip && !sip.codes.includes(event.sipCode) && !sip.classes.includes(Math.floor(event.sipCode / 100)))
    return false;
  return true;
}
