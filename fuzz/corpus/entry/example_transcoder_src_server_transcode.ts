// An action-style function: container calls are external I/O, so they live on actions and get
// `ctx.containers` (the typed handles generated from lunora/containers.ts).
import type { Containers } from "../../lunora/_generated/containerHandles";

export interface ActionCtx {
  containers: Containers;
}

export interface TranscodeResult {
  videoId: string;
  status: string;
}

export async function transcode({ ctx, args: { videoId } }: { ctx: ActionCtx; args: { videoId: string } }): Promise<TranscodeResult> {
  // One instance per entity: the same video id always reaches the same container.
  const response = await ctx.containers.transcoder.get(videoId).fetch("/transcode", {
    method: "POST",
    body: JSON.stringify({ videoId }),
  });
  if (!response.ok) {
    throw new Error(`transcoder answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as TranscodeResult;
}
