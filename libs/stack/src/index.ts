export {
  stackUp,
  stackDown,
  stackStatus,
  stackEnv,
  externalEndpoints,
  localEndpoints,
  kafkaToolsClasspath,
  localKafkaPid,
} from './stack';
export type { Endpoints, ComponentStatus } from './stack';
export { stackOptionsFromEnv } from './options';
export type { StackOptions } from './options';
export { repoRoot } from './paths';
