// Node module hook for unit tests: resolves `cloudflare:workers` to the local stub, and the
// extensionless relative imports inside @cloudflare/containers' dist (written for bundlers).
const stub = new URL("./cloudflare-workers-stub.mjs", import.meta.url).href;
export async function resolve(specifier, context, next) {
  if (specifier === "cloudflare:workers") return { url: stub, shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND" && specifier.startsWith(".") && !specifier.endsWith(".js")) {
      return next(`${specifier}.js`, context);
    }
    throw error;
  }
}
