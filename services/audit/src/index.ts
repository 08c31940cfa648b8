export { auditRecords, auditFailures, type AuditRecords } from './audit-core';
export { capViolations, type AuditRetry, type CapCheck } from './cap-audit';
export { expectationOf } from './expectation';
export { NumberCalls } from './number-calls';
export { readTopicsToEnd, type ReadResult } from './read-topics';
export { runAudit, type AuditOptions, type AuditRun } from './run-audit';
export { formatReport } from './format';
export { inTimeWindow, type TimeWindow } from './time-window';
export * from './types';
