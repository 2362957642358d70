import { defineContainer } from "@lunora/container";

let image = "./c/a";
var defaultPort = 8080;

export const shorthand = defineContainer({ image, defaultPort });
