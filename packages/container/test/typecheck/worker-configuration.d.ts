// What `wrangler types --include-runtime=false` emits for this fixture's wrangler.jsonc.
declare namespace Cloudflare {
  interface Env {
    CONTAINER_TRANSCODER: DurableObjectNamespace<import("./lunora/_generated/containers").TranscoderContainer>;
    TRANSCODER_API_KEY: string;
  }
}
interface Env extends Cloudflare.Env {}
