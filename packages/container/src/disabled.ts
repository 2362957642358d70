/**
 * The error a container's Durable Object raises when the Workers runtime gives it no container:
 * in local dev, containers are disabled (`--enable-containers=false`, or `"dev": {
 * "enable_containers": false }` in the wrangler config). `@cloudflare/containers` would say
 * "Containers have not been enabled for this Durable Object class. Have you correctly setup your
 * Wrangler config?", which sends the user to a config that is fine.
 */
export class ContainersDisabledError extends Error {
  readonly exportName: string;
  constructor(exportName: string, className: string) {
    super(
      `Container "${exportName}" cannot start: containers are disabled in this dev session ` +
        `(\`--enable-containers=false\`, or "dev": { "enable_containers": false } in the wrangler config). ` +
        `To run it locally, start \`lunora dev\` without that, with a Docker engine running. ` +
        `(Outside local dev this means the wrangler config has no \`containers\` entry for class ${className}: run \`lunora codegen\`.)`,
    );
    this.name = "ContainersDisabledError";
    this.exportName = exportName;
  }
}
