// Deploy fields must be static.
import { defineContainer } from "@lunora/container";
import { IMAGE, limits } from "./config";

let mutableCount = 3;
function getImage() {
  return "./c/a";
}
const tag = getImage();

export const dynamicImage = defineContainer({ image: getImage() });
export const importedImage = defineContainer({ image: IMAGE });
export const letMaxInstances = defineContainer({ image: "./c/a", maxInstances: mutableCount });
export const templateName = defineContainer({ image: "./c/a", name: `app-${tag}` });
export const memberInstance = defineContainer({ image: "./c/a", instanceType: limits.type });
export const callBuildArgs = defineContainer({ image: "./c/a", buildArgs: Object.fromEntries([]) });
export const nestedRollout = defineContainer({ image: "./c/a", rollout: { stepPercentage: limits.step } });
export const conditionalRegistry = defineContainer({
  image: { registry: process.env.CI ? "docker.io/a/b:1" : "docker.io/a/b:2" },
});
export const buildArgValue = defineContainer({ image: "./c/a", buildArgs: { VERSION: process.env.VERSION } });
export const undeclared = defineContainer({ image: somewhere });
