import { createContainerContext, type ContainerAccessor, type ContainerBindingSpec } from "@lunora/container";
import type { TranscoderContainer } from "./containers";
export const containerBindings = [
  { binding: "CONTAINER_TRANSCODER", exportName: "transcoder", maxInstances: 5 },
] as const satisfies readonly ContainerBindingSpec[];
export interface ContainersEnv { CONTAINER_TRANSCODER: DurableObjectNamespace<TranscoderContainer>; }
export interface Containers { transcoder: ContainerAccessor; }
export function createContainers(env: ContainersEnv): Containers {
  return createContainerContext<Containers>(env, containerBindings);
}
