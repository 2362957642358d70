/**
 * `image`: a Dockerfile directory, `{ build }`, `{ registry }` or a registry reference, and the
 * registry hosts Cloudflare pulls from.
 */

import { RULE_CODES, RULES } from "./table.js";
import { checkKeys, fail, isObject, wrongType } from "./checks.js";

export const ECR_RE = new RegExp(RULES.registries.ecrPattern);

/** True when a string image is a registry reference rather than a local path. */
export function looksLikeRegistryReference(image: string): boolean {
  if (/^(\.{1,2}\/|\/|~)/.test(image) || image === "." || image === "..") return false;
  if (image.includes("@sha256:")) return true;
  const first = image.split("/")[0]!;
  if (image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) {
    return true;
  }
  // `nginx:1.27` or `acme/api:2` — a name with a tag and no path-like segment.
  return /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*:[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(image);
}

/** A registry reference carries a `:tag` (after the last `/`) or an `@algorithm:hex` digest. */
export function hasTagOrDigest(reference: string): boolean {
  const at = reference.lastIndexOf("@");
  if (at >= 0) return /^[A-Za-z0-9][A-Za-z0-9+._-]*:[A-Fa-f0-9]+$/.test(reference.slice(at + 1));
  const last = reference.slice(reference.lastIndexOf("/") + 1);
  return /^[^:]+:[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(last);
}

/**
 * The registry host of a reference, as Docker reads it: the first `/`-separated component when
 * it contains `.` or `:` or is `localhost`; otherwise none (`nginx:1.27`, `acme/app:1`).
 */
export function registryHost(reference: string): string | undefined {
  const slash = reference.indexOf("/");
  if (slash < 0) return undefined;
  const first = reference.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : undefined;
}

/** True for the hosts Cloudflare pulls from (port and case ignored, as wrangler's URL parse does). */
export function isSupportedRegistryHost(host: string): boolean {
  const hostname = host.split(":")[0]!.toLowerCase();
  return hostname === RULES.registries.cloudflare || hostname === RULES.registries.dockerHub || ECR_RE.test(hostname);
}

export const SUPPORTED_REGISTRIES = `the Cloudflare Registry (${RULES.registries.cloudflare}), Docker Hub (${RULES.registries.dockerHub}) or Amazon ECR (${RULES.registries.ecrExample})`;

/** `nginx:1.27` → `docker.io/library/nginx:1.27`; `acme/app:1` → `docker.io/acme/app:1`. */
export function qualifiedDockerHubReference(reference: string): string {
  return reference.includes("/") ? `docker.io/${reference}` : `docker.io/library/${reference}`;
}

export function checkRegistryReference(reference: string, path: string): void {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(reference);
  if (scheme) {
    fail(
      RULE_CODES.invalidImage,
      path,
      `\`${path}\` must not include a scheme (\`${scheme[0]}\`).`,
      `write ${JSON.stringify(reference.slice(scheme[0].length))}`,
    );
  }
  const host = registryHost(reference);
  if (host === undefined) {
    const tagged = hasTagOrDigest(reference) ? reference : `${reference}:<tag>`;
    fail(
      RULE_CODES.registryMissingHost,
      path,
      `Registry image ${JSON.stringify(reference)} names no registry host.`,
      `write ${JSON.stringify(qualifiedDockerHubReference(tagged))} for Docker Hub, or ${JSON.stringify(`${RULES.registries.cloudflare}/${tagged}`)} for an image pushed with \`wrangler containers push\``,
    );
  }
  if (!isSupportedRegistryHost(host)) {
    const hostname = host.split(":")[0]!.toLowerCase();
    const dockerHubAlias = hostname === "registry-1.docker.io" || hostname === "index.docker.io";
    fail(
      RULE_CODES.unsupportedRegistry,
      path,
      `Cloudflare does not pull images from ${host}.`,
      dockerHubAlias
        ? `write ${JSON.stringify(`${RULES.registries.dockerHub}${reference.slice(host.length)}`)} (Docker Hub is addressed as ${RULES.registries.dockerHub})`
        : `push the image to ${SUPPORTED_REGISTRIES}, and reference it there`,
    );
  }
  if (!hasTagOrDigest(reference)) {
    const name = reference.split("@")[0]!;
    fail(
      RULE_CODES.registryMissingTag,
      path,
      `Registry image ${JSON.stringify(reference)} has no tag or digest.`,
      `pin a version with a tag or a digest, e.g. ${JSON.stringify(`${name}:1.0`)} or ${JSON.stringify(`${name}@sha256:<digest>`)}`,
    );
  }
}

/** A local path or build directory: not blank, `/` as the separator. */
export function checkImagePath(path: string, field: string): void {
  if (path.trim() === "") {
    fail(
      RULE_CODES.emptyImage,
      field,
      `\`${field}\` is empty.`,
      'write `image: "./containers/<name>"`, `image: { registry: "docker.io/acme/app:1.0" }` or `image: { build: "./services/<name>" }`',
    );
  }
  if (path.includes("\\")) {
    fail(RULE_CODES.invalidImagePath, field, `\`${field}\` uses \`\\\` in a path.`, `use \`/\` as the separator: ${JSON.stringify(path.replaceAll("\\", "/"))}`);
  }
}

export function checkImage(value: unknown): void {
  if (value === undefined) {
    fail(
      RULE_CODES.missingImage,
      "image",
      "defineContainer needs an `image`.",
      'add `image: "./containers/<name>"` (a directory with a Dockerfile), `{ registry: "docker.io/acme/app:1.0" }` or `{ build: "./services/<name>" }`',
    );
  }
  if (typeof value === "string") {
    checkImagePath(value, "image");
    if (looksLikeRegistryReference(value)) {
      const qualified = registryHost(value) === undefined ? qualifiedDockerHubReference(value) : value;
      fail(
        RULE_CODES.registryStringImage,
        "image",
        `\`image: ${JSON.stringify(value)}\` looks like a registry reference, but a string image is a local path.`,
        `write \`image: { registry: ${JSON.stringify(qualified)} }\``,
      );
    }
    return;
  }
  if (!isObject(value)) wrongType("image", "a path string, `{ registry }` or `{ build }`", value);
  checkKeys(value, RULES.imageKeys, "`image`", "image");
  const hasRegistry = Object.hasOwn(value, "registry");
  const hasBuild = Object.hasOwn(value, "build");
  if (hasRegistry && hasBuild) {
    fail(
      RULE_CODES.invalidImage,
      "image",
      "`image` sets both `registry` and `build`.",
      'keep one: `{ registry: "…:tag" }` for a pre-built image, `{ build: "./dir" }` for Railpack',
    );
  }
  if (hasRegistry) {
    const reference = value["registry"];
    if (typeof reference !== "string") wrongType("image.registry", "a string", reference);
    if (reference.trim() === "") {
      fail(RULE_CODES.emptyImage, "image.registry", "`image.registry` is empty.", 'write `image: { registry: "docker.io/acme/app:1.0" }`');
    }
    checkRegistryReference(reference, "image.registry");
  } else if (hasBuild) {
    const dir = value["build"];
    if (typeof dir !== "string") wrongType("image.build", "a string", dir);
    checkImagePath(dir, "image.build");
  } else {
    fail(
      RULE_CODES.invalidImage,
      "image",
      "`image` object needs `registry` or `build`.",
      'write `image: { registry: "docker.io/acme/app:1.0" }` or `image: { build: "./services/<name>" }`',
    );
  }
}
