// Process queries for the real-container scenarios (Linux /proc): what a process started, and
// whether a process has ended.
import { readFileSync, readdirSync } from "node:fs";

/** The processes descending from `pid`, with their command lines. */
export function descendantsOf(pid) {
  const parentOf = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {}
  }
  const found = [];
  const walk = (parent) => {
    for (const [child, ppid] of parentOf) {
      if (ppid !== parent) continue;
      let cmd = "?";
      try {
        cmd = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").join(" ").trim();
      } catch {}
      found.push({ pid: child, cmd });
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** Whether `pid` has ended (gone, or a zombie not reaped yet). */
export function ended(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}
