import type { AbandonmentFile } from './schema';

/** 30 days: the regulations' period (47 CFR 64.1200(a)(7); 16 CFR 310.4(b)(4)(i)). */
export const PERIOD_MS = 30 * 86_400_000;
/** At most 3 % of person-answered calls abandoned per period (the same provisions). */
export const ABANDONMENT_LIMIT = 0.03;
/** Abandoned: not connected to a representative within 2 s (16 CFR 310.4(b)(1)(iv); 47 CFR 64.1200(a)(7)(i)). */
export const CONNECT_WITHIN_MS = 2_000;
/** Ring at least 15 s (or four rings) before disconnecting (16 CFR 310.4(b)(4)(ii); 47 CFR 64.1200(a)(6)). */
export const MIN_RING_MS = 15_000;

/** Where one group's periods are numbered from. */
export interface AbandonmentGroup {
  readonly name: string;
  /** Epoch ms of 00:00 UTC on the start date. */
  readonly startMs: number;
  /** The start date as written. */
  readonly start: string;
  /** true: configured in the rules; false: a campaign in no group, numbered from `periodsFrom`. */
  readonly configured: boolean;
}

/** The compiled `abandonment` section. */
export interface AbandonmentPolicy {
  readonly warnAt: number;
  readonly minAnswered: number;
  readonly unknownCountsAsPerson: boolean;
  readonly periodsFrom: string;
  /** The group a campaign's calls count in: its configured group, or a group of its own. */
  groupOf(campaignId: string): AbandonmentGroup;
  /** The configured groups, by name. */
  readonly groups: ReadonlyMap<string, AbandonmentGroup>;
}

const dayStart = (date: string): number => Date.parse(`${date}T00:00:00Z`);

export function compileAbandonment(file: AbandonmentFile): AbandonmentPolicy {
  const groups = new Map<string, AbandonmentGroup>();
  const byCampaign = new Map<string, AbandonmentGroup>();
  for (const [name, group] of Object.entries(file.groups)) {
    const compiled = Object.freeze({
      name,
      start: group.start,
      startMs: dayStart(group.start),
      configured: true,
    });
    groups.set(name, compiled);
    for (const campaign of group.campaigns) byCampaign.set(campaign, compiled);
  }
  const fromMs = dayStart(file.periodsFrom);
  return Object.freeze({
    warnAt: file.warnAt,
    minAnswered: file.minAnswered,
    unknownCountsAsPerson: file.unknownCountsAsPerson,
    periodsFrom: file.periodsFrom,
    groups,
    groupOf(campaignId: string): AbandonmentGroup {
      // not cached: campaign ids come from the input, and a cache of them would only grow
      return (
        byCampaign.get(campaignId) ?? {
          name: campaignId,
          start: file.periodsFrom,
          startMs: fromMs,
          configured: false,
        }
      );
    },
  });
}

/**
 * The period `atMs` falls in: 1 for the first 30 days from the group's start, 2 for the next...
 * A call before the start date falls in period 0 or below (the start date is then wrong).
 */
export function periodOf(group: AbandonmentGroup, atMs: number): number {
  return Math.floor((atMs - group.startMs) / PERIOD_MS) + 1;
}

/** [from, to) of a group's period, epoch ms. */
export function periodBounds(group: AbandonmentGroup, period: number): { fromMs: number; toMs: number } {
  const fromMs = group.startMs + (period - 1) * PERIOD_MS;
  return { fromMs, toMs: fromMs + PERIOD_MS };
}
