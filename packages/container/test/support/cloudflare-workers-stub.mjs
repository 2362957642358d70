// Stands in for the `cloudflare:workers` module under plain Node, for unit tests of the
// Durable Object base class. Mirrors only what @cloudflare/containers uses.
export class DurableObject {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}
export class WorkerEntrypoint {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}
