import { defineContainer } from "@lunora/container";

const hidden = defineContainer({ image: "./c/hidden" });
export let mutable = defineContainer({ image: "./c/mutable" });
