import { MINUTE_MS } from './units';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `2026-03-09T08:00:00-04:00`: the instant as local time with its offset (the offset comes from
 * luxon via ZoneClock). Hand-formatted because DateTime#toISO costs microseconds per call.
 */
export function formatLocalIso(ts: number, offsetMinutes: number): string {
  const local = new Date(ts + offsetMinutes * MINUTE_MS).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}
