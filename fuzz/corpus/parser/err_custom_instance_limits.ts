import { defineContainer } from "@lunora/container";

export const missing = defineContainer({ image: "./c/a", instanceType: { vcpu: 1, memoryMib: 4096 } });
export const tooManyCpus = defineContainer({
  image: "./c/a",
  instanceType: { vcpu: 5, memoryMib: 12288, diskMb: 10000 },
});
export const zeroCpu = defineContainer({ image: "./c/a", instanceType: { vcpu: 0, memoryMib: 4096, diskMb: 1000 } });
export const tooMuchMemory = defineContainer({
  image: "./c/a",
  instanceType: { vcpu: 4, memoryMib: 16384, diskMb: 20000 },
});
export const tooMuchDisk = defineContainer({
  image: "./c/a",
  instanceType: { vcpu: 4, memoryMib: 12288, diskMb: 30000 },
});
export const memoryPerCpu = defineContainer({
  image: "./c/a",
  instanceType: { vcpu: 2, memoryMib: 4096, diskMb: 8000 },
});
export const diskPerMemory = defineContainer({
  image: "./c/a",
  instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 9000 },
});
export const fractionalMemory = defineContainer({
  image: "./c/a",
  instanceType: { vcpu: 1, memoryMib: 4096.5, diskMb: 8000, gpu: 1 },
});
