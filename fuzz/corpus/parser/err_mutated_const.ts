// A const object the file writes to elsewhere cannot be trusted.
import { defineContainer } from "@lunora/container";

const assigned = { image: "./c/a" };
assigned.image = "./c/b";
const deleted = { image: "./c/a", maxInstances: 2 };
delete deleted.maxInstances;
const merged = { image: "./c/a" };
Object.assign(merged, { maxInstances: 9 });
const hosts = ["a.example.com"];
hosts.push("b.example.com");
const untouched = { image: "./c/ok" };

export const fromAssigned = defineContainer(assigned);
export const fromDeleted = defineContainer({ ...deleted });
export const fromMerged = defineContainer({ ...merged });
export const fromHosts = defineContainer({ image: "./c/a", allowedHosts: hosts });
export const fine = defineContainer({ ...untouched, enableInternet: false });
