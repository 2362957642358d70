/**
 * `@lunora/container`: declare containers and call them. Safe to import anywhere (plain Node,
 * tests, Workers): nothing here loads `@cloudflare/containers` or `cloudflare:workers`.
 */
export { defineContainer } from "./define.js";
export {
  createContainerContext,
  ContainerBindingError,
  TARGET_PORT_HEADER,
  CONTAINER_BASE_URL,
  isProvisioningError,
  isProvisioningResponse,
  poolInstanceName,
  isPoolInstanceName,
  type ContainerContextOptions,
} from "./accessor.js";
export {
  createContainerTestContext,
  containerTestCalls,
  type ContainerTestHandler,
  type ContainerTestCall,
  type ContainerTestContext,
} from "./test-context.js";
export {
  ContainerConfigError,
  RULES,
  RULE_CODES,
  WARNING_CODES,
  validateContainerConfig,
  containerConfigWarnings,
  parseDuration,
  type ContainerConfigWarning,
  type RuleCode,
  type WarningCode,
} from "./rules.js";
export type {
  ContainerAccessor,
  ContainerBindingSpec,
  ContainerConfig,
  ContainerDefinition,
  ContainerDuration,
  ContainerEgress,
  ContainerFetchInput,
  ContainerHandle,
  ContainerImage,
  ContainerInstanceHandle,
  ContainerInstanceState,
  ContainerPoolOptions,
  ContainerRetryOptions,
  ContainerRollout,
  ContainerStartOptions,
  CustomInstanceType,
  EgressOperation,
  LunoraContainerRpc,
  NamedInstanceType,
  ReadyProbe,
  RolloutStepPercentage,
} from "./types.js";
