// Advisor lints (info): oversized instances and enableInternet left at its default.
import { defineContainer } from "@lunora/container";

export const big = defineContainer({ image: "./c/big", instanceType: "standard-4", enableInternet: false });
export const bigger = defineContainer({ image: "./c/bigger", instanceType: "standard-3", enableInternet: true });
export const customBig = defineContainer({
  image: "./c/custom",
  instanceType: { vcpu: 3, memoryMib: 12288, diskMb: 20000 },
  enableInternet: false,
});
export const customMemory = defineContainer({
  image: "./c/memory",
  instanceType: { vcpu: 1, memoryMib: 6144, diskMb: 8000 },
  enableInternet: false,
});
export const defaultInternet = defineContainer({ image: "./c/open" });
