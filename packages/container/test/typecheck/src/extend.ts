// The README's "Extend a generated class" example, type-checked as written (strict tsc).
import { TranscoderContainer as LunoraTranscoder } from "../lunora/_generated/containers";

export class ExtendedTranscoder extends LunoraTranscoder {
  override envVars = { BUILD: "2026-04" }; // merged with the definition's env and secrets
  override entrypoint = ["node", "other.mjs"];
  override async onStart() {
    await super.onStart(); // keeps lunora's lifecycle lines and readyOn
    console.log("transcoder up");
  }
  override async fetch(request: Request) {
    if (new URL(request.url).pathname === "/ping") return new Response("pong");
    return super.fetch(request); // starts the container when needed, then proxies
  }
}
