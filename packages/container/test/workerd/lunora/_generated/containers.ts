import { LunoraContainer } from "@lunora/container/do";
import { transcoder } from "../containers";
export { ContainerProxy } from "@lunora/container/do";
export class TranscoderContainer extends LunoraContainer {
  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env, transcoder, "transcoder");
  }
}
