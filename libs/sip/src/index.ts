export { SIP_CLASSES, type SipClass, type SipCodeInfo, type Q850CauseInfo } from './types';
export { SIP_CODE_MIN, SIP_CODE_MAX, isSipStatusCode, sipClassOf, sipClassName } from './sip-class';
export { SIP_CODES } from './sip-codes/index';
export { sipCodeInfo, sipReasonPhrase } from './sip-catalogue';
export { Q850_CAUSES } from './q850/causes';
export {
  Q850_CAUSE_MIN,
  Q850_CAUSE_MAX,
  isQ850Cause,
  q850CauseClass,
  type Q850CauseClass,
} from './q850/cause-class';
export { RFC3398_CAUSE_TO_SIP } from './q850/rfc3398';
export { q850CauseInfo, q850CauseName, sipCodeForQ850Cause } from './q850/lookup';
export { parseReasonHeader, q850CauseFromReasonHeader, type ReasonValue } from './reason-header';
export {
  isNetworkBlockedPhrase,
  networkBlockFromReasonHeader,
  type NetworkBlockNotice,
} from './network-blocked';
