import { defineContainer } from "@lunora/container";

export const imageResizer = defineContainer({ image: "./c/a", enableInternet: false });
export const image_resizer = defineContainer({ image: "./c/b", enableInternet: false });
export const ImageResizer = defineContainer({ image: "./c/c", enableInternet: false });
