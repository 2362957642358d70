import { defineContainer } from "@lunora/container";

export const lite = defineContainer({ image: "./c/lite", instanceType: "lite", enableInternet: false });
export const basic = defineContainer({ image: "./c/basic", instanceType: "basic", enableInternet: false });
export const standard1 = defineContainer({ image: "./c/s1", instanceType: "standard-1", enableInternet: false });
export const standard2 = defineContainer({ image: "./c/s2", instanceType: "standard-2", enableInternet: false });
export const custom = defineContainer({
  image: "./c/custom",
  instanceType: { vcpu: 0.5, memoryMib: 2048, diskMb: 4000 },
  enableInternet: false,
});
