/**
 * RFC 3398 §7.2.4.1: the SIP final response a gateway sends for an ISUP/Q.850 release cause.
 * `null` for cause 16 (normal call clearing), which ends an established call with BYE rather than
 * a response. Causes the RFC does not list have no standard mapping and are absent.
 */
export const RFC3398_CAUSE_TO_SIP: ReadonlyMap<number, number | null> = new Map([
  [1, 404],
  [2, 404],
  [3, 404],
  [16, null],
  [17, 486],
  [18, 408],
  [19, 480],
  [20, 480],
  [21, 403],
  // 22 maps to 301 when the release carries the new number as a diagnostic; 410 without it.
  [22, 410],
  [23, 410],
  [26, 404],
  [27, 502],
  [28, 484],
  [29, 501],
  [31, 480],
  [34, 503],
  [38, 503],
  [41, 503],
  [42, 503],
  [47, 503],
  [55, 403],
  [57, 403],
  [58, 503],
  [65, 488],
  [70, 488],
  [79, 501],
  [87, 403],
  [88, 503],
  [102, 504],
  [111, 500],
  [127, 500],
]);
