export {
  stackUp,
  stackDown,
  stackStatus,
  stackEnv,
  externalEndpoints,
  localEndpoints,
  kafkaToolsClasspath,
  localKafkaPid,
  stackComponentPid,
} from './stack';
export type { Endpoints, ComponentStatus, StackComponent } from './stack';
export { stackOptionsFromEnv } from './options';
export type { StackOptions } from './options';
export { kafkaNodes, NODE_PORT_STEP, type StackLayout } from './layout';
export { repoRoot } from './paths';
export { freePort, portIsFree } from './ports';
export { runKafkaTool } from './kafka-tool';
