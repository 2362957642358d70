// Nothing here is a container: wrong module, not a call of defineContainer, nested scopes.
import { defineContainer } from "./my-own-helpers";
import { defineContainer as real } from "@lunora/container";

export const notOurs = defineContainer({ image: 42 });
export const plainObject = { image: "docker.io/acme/x:1" };
export function factory() {
  const inner = real({ image: "" });
  return inner;
}
export default real;
