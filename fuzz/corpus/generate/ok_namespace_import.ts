import * as lunora from "@lunora/container";

export const viaNamespace = lunora.defineContainer({ image: "./containers/ns", enableInternet: false });
