declare namespace Cloudflare {
  interface Env {
    CONTAINER_TRANSCODER: DurableObjectNamespace<import("./lunora/_generated/containers").TranscoderContainer>;
  }
}
