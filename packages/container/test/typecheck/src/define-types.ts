// What defineContainer's type rejects in the editor (issue 24.2). Type-checked by the real tsc in
// test/package.test.mjs: every `@ts-expect-error` line must be an error (tsc fails on an unused
// one) and every other line must pass.
import { defineContainer, type ContainerAccessor } from "@lunora/container";

// Valid definitions keep their literal types.
const ok = defineContainer({
  image: "./containers/x",
  defaultPort: 8080,
  requiredPorts: [1, 9999, 65535],
  maxInstances: 5,
  sleepAfter: "5m",
  hardTimeout: 3600,
  readyOn: [{ path: "/ready", port: 8080 }],
  instanceType: { vcpu: 1, memoryMib: 4096 },
  rollout: { stepPercentage: 25 },
});
export const port: 8080 = ok.defaultPort;
export const sleep: "5m" = ok.sleepAfter;
declare const dynamicPort: number;
declare const dynamicDuration: `${number}m`;
defineContainer({ image: "./x", defaultPort: dynamicPort, requiredPorts: [dynamicPort], sleepAfter: dynamicDuration });
defineContainer({ image: "./x", instanceType: "standard-2", sleepAfter: "05m" });

// @ts-expect-error unknown key (tsc: "Did you mean to write 'sleepAfter'?")
defineContainer({ image: "./x", sleepAftr: "5m" });
// @ts-expect-error unknown key nested in instanceType
defineContainer({ image: "./x", instanceType: { vcpu: 1, memryMib: 4096 } });
// @ts-expect-error unknown key nested in a readyOn probe
defineContainer({ image: "./x", readyOn: [{ path: "/r", stauts: 200 }] });
// @ts-expect-error unknown key nested in rollout
defineContainer({ image: "./x", rollout: { gracePeriod: 1 } });
// @ts-expect-error port 0
defineContainer({ image: "./x", defaultPort: 0 });
// @ts-expect-error port 65536
defineContainer({ image: "./x", defaultPort: 65536 });
// @ts-expect-error a fractional port
defineContainer({ image: "./x", defaultPort: 8080.5 });
// @ts-expect-error a negative port
defineContainer({ image: "./x", defaultPort: -1 });
// @ts-expect-error a required port out of range
defineContainer({ image: "./x", requiredPorts: [8080, 70000] });
// @ts-expect-error a readyOn port out of range
defineContainer({ image: "./x", readyOn: [{ path: "/r", port: 99999 }] });
// @ts-expect-error a duration with a space
defineContainer({ image: "./x", sleepAfter: "7 min" });
// @ts-expect-error a fractional duration
defineContainer({ image: "./x", sleepAfter: "1.5m" });
// @ts-expect-error a zero duration
defineContainer({ image: "./x", hardTimeout: "0s" });
// @ts-expect-error a fractional number of seconds
defineContainer({ image: "./x", sleepAfter: 1.5 });
// @ts-expect-error maxInstances 0
defineContainer({ image: "./x", maxInstances: 0 });
// @ts-expect-error an instance type that does not exist
defineContainer({ image: "./x", instanceType: "huge" });

// Retry options on .any() and .pool() are typed like .get()'s.
declare const accessor: ContainerAccessor<8080>;
accessor.any(3, { attempts: 1, backoffMs: 100 });
accessor.pool({ attempts: 2, coldStart: { attempts: 3 } });
// @ts-expect-error a misspelled retry option
accessor.any(3, { atempts: 1 });
// @ts-expect-error a port the container does not declare
accessor.any().port(9090);
