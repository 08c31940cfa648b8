import type { SipCodeInfo } from '../types';
import { CLIENT_FAILURE_CODES } from './client-failure';
import { GLOBAL_FAILURE_CODES } from './global-failure';
import { PROVISIONAL_CODES } from './provisional';
import { REDIRECTION_CODES } from './redirection';
import { SERVER_FAILURE_CODES } from './server-failure';
import { SUCCESS_CODES } from './success';

/** Every registered SIP response code sipflow knows, in ascending order. */
export const SIP_CODES: readonly SipCodeInfo[] = [
  ...PROVISIONAL_CODES,
  ...SUCCESS_CODES,
  ...REDIRECTION_CODES,
  ...CLIENT_FAILURE_CODES,
  ...SERVER_FAILURE_CODES,
  ...GLOBAL_FAILURE_CODES,
];
