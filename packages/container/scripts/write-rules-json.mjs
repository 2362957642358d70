// Writes rules.json from the built rule table (dist/rules.js), so the Rust side can check its
// own table against it. Run after `tsc`; `npm test` fails when the committed file is stale.
import { writeFileSync } from "node:fs";
import { RULES } from "../dist/rules.js";

const target = new URL("../rules.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(RULES, null, 2)}\n`);
