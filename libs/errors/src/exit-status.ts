/**
 * Exit statuses of the sipflow command line for failures, after the BSD sysexits(3) convention
 * (FreeBSD sysexits(3) manual page, https://man.freebsd.org/cgi/man.cgi?query=sysexits&sektion=3,
 * checked 2026-12-01). FreeBSD now calls the interface legacy and discourages it for new system
 * programs; its numbers are used anyway because they are the one widely known vocabulary for
 * "why did it fail", so a script can tell "fix your input" from "the broker is down" from "a bug"
 * without parsing text, and they stay clear of 1 (see EXIT_FOUND_PROBLEMS) and of 128 + signal.
 */
export const SYSEXITS = {
  EX_USAGE: 64,
  EX_DATAERR: 65,
  EX_UNAVAILABLE: 69,
  EX_SOFTWARE: 70,
  EX_NOPERM: 77,
  EX_CONFIG: 78,
} as const;

export type SysexitName = keyof typeof SYSEXITS;

/** What each status means for sipflow, in the manual page's terms. */
export const SYSEXITS_MEANING: Readonly<Record<SysexitName, string>> = {
  EX_USAGE: 'the command was used incorrectly: a bad option, or options that contradict each other',
  EX_DATAERR:
    'the input data was incorrect: a call attempt that fails validation, bad JSON, an undecodable record',
  EX_UNAVAILABLE:
    'a service is unavailable: the broker, the schema registry, the peer Kafka client, a program of the local stack',
  EX_SOFTWARE: 'an internal software error: a bug',
  EX_NOPERM: 'permission denied: the broker or the schema registry refused the credentials',
  EX_CONFIG: 'something is unconfigured or misconfigured: the environment, a rules file, a missing topic',
};

/** sysexits(3) numbers its codes from EX__BASE to EX__MAX. */
export const SYSEXITS_RANGE = { min: 64, max: 78 } as const;

/**
 * The command ran to the end and found problems: `audit`'s failing report, `classify` lines that
 * did not validate, `replay` records sent to the DLQ, `stack status` with a part down. Reserved for
 * that: a command that could not do its job exits with its error's sysexits status instead.
 */
export const EXIT_FOUND_PROBLEMS = 1;

/** Stopped by SIGINT/SIGTERM before the end (the shell's 128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** The statuses outside the sysexits range that sipflow uses on purpose, and why. */
export const OTHER_EXIT_STATUSES: Readonly<Record<number, string>> = {
  0: 'success',
  [EXIT_FOUND_PROBLEMS]:
    'the command ran and found problems: `audit` failed, `classify` had bad lines, `replay` sent records to the DLQ, `stack status` has a part down',
  [EXIT_INTERRUPTED]:
    'stopped by a signal: `replay` interrupted before the end, or a second SIGINT/SIGTERM to any command',
};
