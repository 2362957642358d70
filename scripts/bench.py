#!/usr/bin/env python3
"""Benchmark of `lunora codegen` against `wrangler types` on generated apps.

Generates apps with 1, 10, 100 and 1,000 containers (a varied containers.ts, one Dockerfile
directory per local-image container, a commented wrangler.jsonc, a worker entry with the
re-export) and measures, for each:

* `lunora codegen` after an edit that changes its output (median/min/max over N runs),
* `lunora codegen --check` when nothing is stale,
* save-to-written latency under `lunora codegen --watch` (when the binary supports it),
* peak RSS of every lunora process (per process, from wait4's rusage),
* `wrangler types --include-runtime=false` on the same app,
* the first reconcile (a fresh app, nothing generated, no wiring in wrangler.jsonc yet) at 1,000
  and 10,000 containers (20,000 no longer fit the 8 MiB input limit), per container: the larger
  must stay within 1.5× of the smaller,
* `lunora adopt --dry-run` on hand-wired apps with 400 and 4,000 classes (each named so that
  lunora's own name would differ: every one is kept with `className`), per class: the larger within 1.5× of the smaller, and
  400 classes under 1 s.

Runs only on a committed tree (it records the commit it measured) and exits 1 when a target is
missed, after writing the report.

Prints a table and writes it between the markers in BENCHMARKS.md, with the machine it ran on.
Needs only Python 3.11 and the release binary (`scripts/bench.sh` builds it first).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"

PREFIXES = ["api", "imageResizer", "transcoder", "pdfRender", "mlInference", "sandbox", "queueWorker"]
INSTANCE_TYPES = ["lite", "basic", "standard-1", "standard-2"]


# --------------------------------------------------------------------------------------------
# App generator


def container_name(i: int) -> str:
    return f"{PREFIXES[i % len(PREFIXES)]}{i}"


def container_source(i: int, max_instances_first: int, fit_account: bool) -> str:
    """One definition. With `fit_account`, every container is small and capped at one instance
    (lite, or a custom 1/16 vCPU, 256 MiB, 500 MB), so that 1,000 of them stay under 80 % of the
    account limits and `container_account_limits` says nothing; otherwise the sizes are mixed,
    and a few hundred containers exceed what one account can run."""
    name = container_name(i)
    lines = [f"// {name}: generated for the benchmark (variant {i % 7}).", f"export const {name} = defineContainer({{"]
    local = i % 5 != 4
    if local:
        lines.append(f'  image: "./containers/{name.lower()}", // directory with a Dockerfile')
    else:
        lines.append(f'  image: {{ registry: "docker.io/acme/{name.lower()}:1.{i % 10}" }},')
    lines.append(f"  defaultPort: {8000 + i % 1000},")
    if fit_account:
        if i % 2 == 1:
            lines.append("  instanceType: { vcpu: 0.0625, memoryMib: 256, diskMb: 500 },")
        else:
            lines.append('  instanceType: "lite",')
    elif i % 7 == 3:
        lines.append("  instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 8000 },")
    else:
        lines.append(f'  instanceType: "{INSTANCE_TYPES[i % len(INSTANCE_TYPES)]}",')
    if i == 0:
        max_instances = max_instances_first
    else:
        max_instances = 1 if fit_account else 1 + i % 20
    lines.append(f"  maxInstances: {max_instances},")
    lines.append(f'  sleepAfter: "{1 + i % 30}m",')
    if i % 3 == 0:
        lines.append('  hardTimeout: "1h",')
        lines.append(f"  requiredPorts: [{8000 + i % 1000}, 9090],")
        lines.append('  readyOn: [{ path: "/ready" }, { path: "/live", port: 9090, status: 204 }],')
    if i % 2 == 0:
        lines.append(f'  env: {{ ...sharedEnv, SERVICE: "{name}" }},')
    else:
        lines.append('  env: sharedEnv,')
    lines.append(f'  secrets: ["API_KEY", "TOKEN_{i}"],')
    if i % 4 == 1:
        lines.append('  secretsStore: { STRIPE_KEY: "STRIPE_SECRET" },')
    if local and i % 2 == 0:
        lines.append('  buildArgs: { NODE_VERSION: "22" },')
    lines.append(f"  enableInternet: {'true' if i % 2 == 0 else 'false'},")
    if i % 2 == 0 and i % 3 == 0:
        lines.append('  allowedHosts: ["*.stripe.com", "api.github.com"],')
    lines.append(f'  labels: {{ team: "team-{i % 9}" }},')
    if i % 6 == 5:
        lines.append("  rollout: { stepPercentage: 25, gracePeriodSeconds: 300 },")
    lines.append("});")
    return "\n".join(lines) + "\n"


def containers_ts(n: int, max_instances_first: int, fit_account: bool = True) -> str:
    head = (
        "// lunora/containers.ts — benchmark app.\n"
        'import { defineContainer } from "@lunora/container";\n\n'
        'const sharedEnv = { LOG_LEVEL: "info", REGION: "eu" } as const;\n\n'
    )
    return head + "\n".join(container_source(i, max_instances_first, fit_account) for i in range(n))


WRANGLER = """// wrangler.jsonc for a benchmark app.
// `lunora codegen` keeps the container wiring below in sync; everything else is ours.
{
  "$schema": "node_modules/wrangler/config-schema.json",
  "name": "lunora-bench-%d",
  "main": "src/index.ts", // the worker entry
  "compatibility_date": "2026-04-01",
  /* Variables the app reads. */
  "vars": {
    "LOG_LEVEL": "info", // not a secret
  },
}
"""

ENTRY = """// Worker entry: the generated container classes must be exported by the deployed Worker.
export * from "../lunora/_generated/containers";

export default {
  async fetch(): Promise<Response> {
    return new Response("ok");
  },
};
"""

# Exposes the container's own port (and the probe port), so the app is warning-clean as a real
# one would be: 1,000 `port_not_exposed` warnings would measure printing, not codegen.
DOCKERFILE = """FROM --platform=linux/amd64 node:22-slim
WORKDIR /app
COPY server.mjs .
EXPOSE %d 9090
ENTRYPOINT ["node", "server.mjs"]
"""


def generate_app(root: Path, n: int, fit_account: bool = True) -> None:
    (root / "lunora").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "lunora/containers.ts").write_text(containers_ts(n, 1, fit_account))
    (root / "wrangler.jsonc").write_text(WRANGLER % n)
    (root / "src/index.ts").write_text(ENTRY)
    if not fit_account:
        # Over the account's limits on purpose; since they are a warning by default, the project
        # raises the lint to an error (lunora.jsonc), so the run stops with nothing written.
        (root / "lunora.jsonc").write_text('{ "lints": { "container_account_limits": "error" } }\n')
    for i in range(n):
        if i % 5 != 4:
            d = root / "containers" / container_name(i).lower()
            d.mkdir(parents=True)
            (d / "Dockerfile").write_text(DOCKERFILE % (8000 + i % 1000))
    node_modules = REPO / "node_modules"
    if node_modules.exists():
        os.symlink(node_modules.resolve(), root / "node_modules")


def edit(root: Path, n: int, value: int) -> None:
    """Rewrites containers.ts with the first container's maxInstances set to `value`."""
    (root / "lunora/containers.ts").write_text(containers_ts(n, value))


# --------------------------------------------------------------------------------------------
# Measurement


@dataclass
class Sample:
    seconds: float
    cpu_seconds: float
    max_rss_kib: int
    code: int


def run(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> Sample:
    """Runs argv to completion with output discarded; wall time and the child's own peak RSS."""
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        actions = [
            (os.POSIX_SPAWN_DUP2, devnull, 0),
            (os.POSIX_SPAWN_DUP2, devnull, 1),
            (os.POSIX_SPAWN_DUP2, devnull, 2),
        ]
        prev = os.getcwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            t0 = time.perf_counter()
            pid = os.posix_spawn(argv[0], argv, env or os.environ, file_actions=actions)
            _, status, rusage = os.wait4(pid, 0)
            t1 = time.perf_counter()
        finally:
            os.chdir(prev)
    finally:
        os.close(devnull)
    cpu = rusage.ru_utime + rusage.ru_stime
    return Sample(t1 - t0, cpu, rusage.ru_maxrss, os.waitstatus_to_exitcode(status))


@dataclass
class Stats:
    samples: list[float] = field(default_factory=list)

    def add(self, s: float) -> None:
        self.samples.append(s)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def fmt(self) -> str:
        if not self.samples:
            return "n/a"
        ms = [s * 1000 for s in self.samples]
        return f"{statistics.median(ms):.1f} ({min(ms):.1f}–{max(ms):.1f})"


@dataclass
class Result:
    n: int
    lines: int
    codegen: Stats = field(default_factory=Stats)
    codegen_cpu: Stats = field(default_factory=Stats)
    check: Stats = field(default_factory=Stats)
    check_cpu: Stats = field(default_factory=Stats)
    watch: Stats = field(default_factory=Stats)
    wrangler: Stats = field(default_factory=Stats)
    rss_kib: int = 0
    watch_rss_kib: int = 0
    wrangler_rss_kib: int = 0
    watch_note: str = ""


def lunora_bin() -> Path:
    return REPO / "target/release/lunora"


def measure_codegen(res: Result, root: Path, runs: int) -> None:
    lunora = str(lunora_bin())
    first = run([lunora, "codegen", "--root", str(root)])
    if first.code != 0:
        out = subprocess.run([lunora, "codegen", "--root", str(root)], capture_output=True, text=True)
        sys.exit(f"initial codegen failed on the {res.n}-container app:\n{out.stdout}{out.stderr}")
    for r in range(runs):
        edit(root, res.n, 2 + r % 2)
        s = run([lunora, "codegen", "--root", str(root)])
        assert s.code == 0, f"codegen exit {s.code}"
        res.codegen.add(s.seconds)
        res.codegen_cpu.add(s.cpu_seconds)
        res.rss_kib = max(res.rss_kib, s.max_rss_kib)
    for _ in range(runs):
        s = run([lunora, "codegen", "--check", "--root", str(root)])
        assert s.code == 0, f"codegen --check exit {s.code} (output should be up to date)"
        res.check.add(s.seconds)
        res.check_cpu.add(s.cpu_seconds)
        res.rss_kib = max(res.rss_kib, s.max_rss_kib)


def only_account_limit_errors(root: Path) -> tuple[bool, str]:
    """Runs `codegen --format json` once: whether every error it reports is
    `container_account_limits` (and there is at least one), with the output for a failure."""
    out = subprocess.run(
        [str(lunora_bin()), "codegen", "--format", "json", "--root", str(root)], capture_output=True, text=True
    )
    codes = []
    for line in out.stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("severity") == "error":
            codes.append(record.get("code"))
    ok = out.returncode == 1 and bool(codes) and all(c == "container_account_limits" for c in codes)
    return ok, out.stdout[-3000:] + out.stderr[-3000:]


def measure_first_reconcile(n: int, runs: int) -> tuple[Stats, Stats]:
    """`lunora codegen` on a fresh app each time, before anything is generated or wired: every
    container's class, handle, entry, binding and migration is new (the case that was quadratic:
    124 s at 20,000). No account can run 20,000 containers, so at both sizes the app has mixed
    sizes and every run plans everything (parse, validate, lints, reconcile, render) and then
    stops at `container_account_limits` with nothing written: the same work at both sizes.
    Returns wall and CPU (user + system) times."""
    stats = Stats()
    cpu = Stats()
    with tempfile.TemporaryDirectory(prefix="lunora-bench-first-") as tmp:
        template = Path(tmp) / "template"
        generate_app(template, n, fit_account=False)
        ok, output = only_account_limit_errors(template)
        if not ok:
            sys.exit(f"first codegen on the {n}-container app did not stop at the account limits alone:\n{output}")
        for r in range(runs):
            root = Path(tmp) / f"run{r}"
            shutil.copytree(template, root, symlinks=True)
            s = run([str(lunora_bin()), "codegen", "--root", str(root)])
            if s.code != 1:
                sys.exit(f"first codegen on the {n}-container app exited {s.code}, expected 1 (account limits)")
            stats.add(s.seconds)
            cpu.add(s.cpu_seconds)
            shutil.rmtree(root)
    return stats, cpu


def generate_hand_wired(root: Path, n: int) -> None:
    """A hand-wired app of `n` classes `WorkerN extends Container` (lunora's class name differs,
    so adopt renames each), with one binding, one entry and one migration declaring them all."""
    (root / "src").mkdir(parents=True)
    (root / "Dockerfile").write_text("FROM scratch\nEXPOSE 8080\n")
    names = [f"Worker{i}" for i in range(n)]
    entries = "\n".join(f'    {{ "class_name": "{c}", "image": "./Dockerfile" }},' for c in names)
    bindings = "\n".join(f'      {{ "class_name": "{c}", "name": "{c.upper()}" }},' for c in names)
    declared = ", ".join(f'"{c}"' for c in names)
    (root / "wrangler.jsonc").write_text(
        '{\n  "name": "hand-wired",\n  "main": "src/index.ts",\n  "compatibility_date": "2025-05-23",\n'
        f'  "containers": [\n{entries}\n  ],\n  "durable_objects": {{\n    "bindings": [\n{bindings}\n    ],\n  }},\n'
        f'  "migrations": [{{ "tag": "v1", "new_sqlite_classes": [{declared}] }}],\n}}\n'
    )
    classes = "".join(
        f"// {c}.\nexport class {c} extends Container {{\n  defaultPort = 8080; // port\n  sleepAfter = \"5m\";\n}}\n\n"
        for c in names
    )
    (root / "src/index.ts").write_text(
        f'import {{ Container }} from "@cloudflare/containers";\n\n{classes}export default {{ fetch: () => new Response("") }};\n'
    )


def measure_adopt(n: int, runs: int) -> tuple[Stats, Stats]:
    """`lunora adopt --dry-run` on a hand-wired app of `n` classes (it was quadratic: 400
    classes took 4-6 s). The run plans everything and writes nothing; at sizes past the
    account's limits it stops at `container_account_limits`, after the same planning.
    Returns wall and CPU times."""
    stats, cpu = Stats(), Stats()
    with tempfile.TemporaryDirectory(prefix="lunora-bench-adopt-") as tmp:
        root = Path(tmp) / "app"
        generate_hand_wired(root, n)
        for _ in range(runs):
            s = run([str(lunora_bin()), "adopt", "--dry-run", "--root", str(root)])
            if s.code not in (0, 1):
                sys.exit(f"adopt on the {n}-class app exited {s.code}")
            stats.add(s.seconds)
            cpu.add(s.cpu_seconds)
    return stats, cpu


def watch_supported() -> bool:
    out = subprocess.run([str(lunora_bin()), "codegen", "--help"], capture_output=True, text=True)
    if "--watch" not in out.stdout:
        return False
    probe = tempfile.mkdtemp(prefix="lunora-bench-probe-")
    try:
        p = subprocess.Popen(
            [str(lunora_bin()), "codegen", "--watch", "--root", probe],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _, err = p.communicate(timeout=1.0)
            return "not available" not in err and p.returncode == 0
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGINT)
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            return True
    finally:
        shutil.rmtree(probe, ignore_errors=True)


def file_id(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def measure_watch(res: Result, root: Path, saves: int) -> None:
    """Save-to-written: from the moment containers.ts is saved (written and closed) until both
    outputs the edit changes (the handles module and wrangler.jsonc) have been replaced."""
    outputs = [root / "lunora/_generated/containerHandles.ts", root / "wrangler.jsonc"]
    proc = subprocess.Popen(
        [str(lunora_bin()), "codegen", "--watch", "--root", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.5)  # initial pass and watcher setup
        value = 5
        for _ in range(saves):
            before = [file_id(p) for p in outputs]
            value = 5 if value == 6 else 6
            text = containers_ts(res.n, value)
            t0 = time.perf_counter()
            with open(root / "lunora/containers.ts", "w") as f:
                f.write(text)
            t_saved = time.perf_counter()
            deadline = t_saved + 10
            pending = list(range(len(outputs)))
            while pending and time.perf_counter() < deadline:
                pending = [i for i in pending if file_id(outputs[i]) == before[i]]
                if pending:
                    time.sleep(0.0005)
            if pending:
                res.watch_note = "a save was not picked up within 10 s"
                break
            res.watch.add(time.perf_counter() - t_saved)
            _ = t0
            time.sleep(0.4)  # let the watcher settle before the next save
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, _, rusage = os.wait4(proc.pid, 0)
            res.watch_rss_kib = rusage.ru_maxrss
        except ChildProcessError:
            pass
        proc.returncode = 0


def measure_wrangler(res: Result, root: Path, runs: int) -> None:
    wrangler = REPO / "node_modules/.bin/wrangler"
    if not wrangler.exists():
        return
    env = dict(os.environ, WRANGLER_SEND_METRICS="false", CI="true", NO_COLOR="1")
    for _ in range(runs):
        s = run([str(wrangler.resolve()), "types", "--include-runtime=false"], cwd=root, env=env)
        if s.code != 0:
            out = subprocess.run(
                [str(wrangler), "types", "--include-runtime=false"], cwd=root, env=env, capture_output=True, text=True
            )
            sys.exit(f"wrangler types failed on the {res.n}-container app:\n{out.stdout[-3000:]}{out.stderr[-3000:]}")
        res.wrangler.add(s.seconds)
        res.wrangler_rss_kib = max(res.wrangler_rss_kib, s.max_rss_kib)


# --------------------------------------------------------------------------------------------
# Report


def sh(cmd: str) -> str:
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def machine() -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    os_name = platform.platform()
    try:
        pretty = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())
        if pretty:
            os_name = f"{pretty.group(1)} (kernel {platform.release()})"
    except OSError:
        pass
    return [
        f"- nproc: {os.cpu_count()} (`nproc`: {sh('nproc')})",
        f"- CPU: {cpu}",
        f"- memory: {mem}",
        f"- OS: {os_name}",
        f"- rustc: {sh('rustc --version')}",
        f"- node: {sh('node --version')}, wrangler {sh(str(REPO / 'node_modules/.bin/wrangler') + ' --version')}",
        f"- load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


def table(results: list[Result]) -> list[str]:
    rows = [
        "| containers | containers.ts lines | `codegen` after an edit, ms | CPU, ms | `codegen --check` no-op, ms | CPU, ms | "
        "`--watch` save→written, ms | peak RSS codegen / watch, MiB | `wrangler types`, ms | wrangler peak RSS, MiB | speed-up |",
        "|---:|---:|---|---:|---|---:|---|---:|---|---:|---:|",
    ]
    for r in results:
        speedup = f"{r.wrangler.median / r.codegen.median:.0f}×" if r.wrangler.samples else "n/a"
        watch = r.watch.fmt() if r.watch.samples else (r.watch_note or "n/a")
        rows.append(
            f"| {r.n} | {r.lines} | {r.codegen.fmt()} | {r.codegen_cpu.median * 1000:.1f} | {r.check.fmt()} | "
            f"{r.check_cpu.median * 1000:.1f} | {watch} | {r.rss_kib / 1024:.1f} / {r.watch_rss_kib / 1024:.1f} | "
            f"{r.wrangler.fmt()} | {r.wrangler_rss_kib / 1024:.0f} | {speedup} |"
        )
    return rows


def first_reconcile_rows(first: dict[int, tuple[Stats, Stats]]) -> list[str]:
    rows = [
        "| containers | first `codegen` (nothing wired yet; stops at the account limits), ms | per container, µs | CPU, ms | CPU per container, µs |",
        "|---:|---|---:|---:|---:|",
    ]
    for n, (wall, cpu) in sorted(first.items()):
        rows.append(
            f"| {n} | {wall.fmt()} | {wall.median / n * 1e6:.0f} | {cpu.median * 1000:.0f} | {cpu.median / n * 1e6:.0f} |"
        )
    return rows


def verdicts(
    results: list[Result],
    first: dict[int, tuple[Stats, Stats]] | None = None,
    adopt: dict[int, tuple[Stats, Stats]] | None = None,
) -> list[str]:
    by_n = {r.n: r for r in results}
    out = []

    def line(ok: bool, text: str) -> None:
        out.append(f"- {'met' if ok else '**missed**'}: {text}")

    if 1 in by_n:
        r = by_n[1]
        line(r.codegen.median <= 0.005, f"one container, codegen median {r.codegen.median * 1000:.1f} ms (target ≤ 5 ms)")
        if r.wrangler.samples:
            x = r.wrangler.median / r.codegen.median
            line(x >= 100, f"one container, {x:.0f}× faster than `wrangler types` (target ≥ 100×)")
        line(r.check.median <= 0.005, f"`--check` no-op median {r.check.median * 1000:.1f} ms (target ≤ 5 ms)")
    if 1000 in by_n:
        r = by_n[1000]
        line(r.codegen.median <= 0.100, f"1,000 containers, codegen median {r.codegen.median * 1000:.1f} ms (target ≤ 100 ms)")
    if 100 in by_n and 1000 in by_n:
        base = by_n[1].codegen.median if 1 in by_n else 0.0
        per100 = (by_n[100].codegen.median - base) / 99 * 1e6
        per1000 = (by_n[1000].codegen.median - base) / 999 * 1e6
        ratio = per1000 / per100 if per100 > 0 else float("inf")
        line(
            ratio <= 1.5,
            f"growth: {per100:.0f} µs per container up to 100, {per1000:.0f} µs per container up to 1,000 "
            f"(ratio {ratio:.2f}; linear ≈ 1)",
        )
    watched = [r for r in results if r.watch.samples]
    if watched:
        worst = max(watched, key=lambda r: r.watch.median)
        line(
            worst.watch.median <= 0.100,
            f"`--watch` save→written median ≤ {worst.watch.median * 1000:.1f} ms at every size (worst: {worst.n} containers; target ≤ 100 ms)",
        )
    else:
        out.append("- not measured: `--watch` (the binary does not support it yet)")
    if results:
        worst_rss = max(max(r.rss_kib, r.watch_rss_kib) for r in results) / 1024
        line(worst_rss <= 30, f"peak RSS {worst_rss:.1f} MiB at most (target ≤ 30 MiB)")
    if first and len(first) >= 2:
        # Judged on CPU time: on this shared 2-core machine the wall time of a 5 s run mostly
        # measures the other processes; CPU time is the work lunora does per container.
        small, large = min(first), max(first)
        per_small = first[small][1].median / small * 1e6
        per_large = first[large][1].median / large * 1e6
        ratio = per_large / per_small
        wall_ratio = (first[large][0].median / large) / (first[small][0].median / small)
        line(
            ratio <= 1.5,
            f"first reconcile: {per_large:.0f} µs CPU per container at {large:,} vs {per_small:.0f} µs at {small:,} "
            f"(ratio {ratio:.2f}; target ≤ 1.5; wall-time ratio {wall_ratio:.2f})",
        )
    if adopt and len(adopt) >= 2:
        small, large = min(adopt), max(adopt)
        ratio = (adopt[large][1].median / large) / (adopt[small][1].median / small)
        line(
            ratio <= 1.5,
            f"adopt: {adopt[large][1].median / large * 1e6:.0f} µs CPU per class at {large:,} vs "
            f"{adopt[small][1].median / small * 1e6:.0f} µs at {small:,} (ratio {ratio:.2f}; target ≤ 1.5)",
        )
        line(adopt[small][0].median <= 1.0, f"adopt of {small:,} classes {adopt[small][0].median * 1000:.0f} ms (target ≤ 1 s)")
    return out


def write_benchmarks(text: str) -> None:
    path = REPO / "BENCHMARKS.md"
    block = f"{BEGIN}\n{text}\n{END}"
    if path.exists():
        old = path.read_text()
        if BEGIN in old and END in old:
            head, rest = old.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            path.write_text(head + block + tail)
            return
    path.write_text("# Benchmarks\n\nProduced by `./scripts/bench.sh`.\n\n" + block + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,10,100,1000", help="container counts (default 1,10,100,1000)")
    ap.add_argument("--runs", type=int, default=21, help="codegen and --check runs per size (default 21)")
    ap.add_argument("--saves", type=int, default=10, help="saves under --watch per size (default 10)")
    ap.add_argument("--wrangler-runs", type=int, default=3, help="wrangler types runs per size (default 3; 0 skips)")
    ap.add_argument(
        "--first-sizes", default="1000,10000", help="container counts for the first-reconcile measurement (default 1000,10000: 20,000 definitions make a containers.ts over the 8 MiB lunora reads from one input; empty skips)"
    )
    ap.add_argument("--first-runs", type=int, default=3, help="first-reconcile runs per size (default 3)")
    ap.add_argument(
        "--adopt-sizes", default="400,4000", help="hand-wired class counts for the adopt measurement (default 400,4000; empty skips)"
    )
    ap.add_argument("--no-write", action="store_true", help="print the table without touching BENCHMARKS.md")
    ap.add_argument("--allow-dirty", action="store_true", help="measure an uncommitted tree (never writes BENCHMARKS.md)")
    args = ap.parse_args()

    # The report names the commit it measured, so the tree must be that commit.
    dirty = sh(f"git -C {REPO} status --porcelain --untracked-files=normal")
    if dirty and not args.allow_dirty:
        sys.exit(f"the working tree has uncommitted changes; commit them first (or pass --allow-dirty):\n{dirty}")
    if dirty:
        args.no_write = True

    if not lunora_bin().exists():
        sys.exit(f"{lunora_bin()} is missing: run `cargo build --release -p lunora-cli` (scripts/bench.sh does)")
    sizes = [int(s) for s in args.sizes.split(",")]
    has_watch = watch_supported()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    spawn = Stats()
    for _ in range(21):
        spawn.add(run(["/bin/true"]).seconds)

    results = []
    with tempfile.TemporaryDirectory(prefix="lunora-bench-") as tmp:
        for n in sizes:
            root = Path(tmp) / f"app{n}"
            generate_app(root, n)
            res = Result(n=n, lines=(root / "lunora/containers.ts").read_text().count("\n"))
            print(f"== {n} container(s), {res.lines} lines", file=sys.stderr, flush=True)
            measure_codegen(res, root, args.runs)
            if has_watch:
                measure_watch(res, root, args.saves)
            if args.wrangler_runs:
                measure_wrangler(res, root, args.wrangler_runs)
            results.append(res)
            print("\n".join(table([res])[2:]), file=sys.stderr, flush=True)

    first: dict[int, tuple[Stats, Stats]] = {}
    for n in [int(s) for s in args.first_sizes.split(",") if s]:
        print(f"== first reconcile, {n} containers", file=sys.stderr, flush=True)
        first[n] = measure_first_reconcile(n, args.first_runs)
        print("\n".join(first_reconcile_rows({n: first[n]})[2:]), file=sys.stderr, flush=True)

    adopt: dict[int, tuple[Stats, Stats]] = {}
    for n in [int(s) for s in args.adopt_sizes.split(",") if s]:
        print(f"== adopt, {n} hand-wired classes", file=sys.stderr, flush=True)
        adopt[n] = measure_adopt(n, args.first_runs)

    rev = sh(f"git -C {REPO} rev-parse HEAD")
    if dirty:
        rev += " plus uncommitted changes"
    body = [
        f"Run of {started} at commit `{rev}` with `./scripts/bench.sh` "
        f"(runs={args.runs}, saves={args.saves}, wrangler runs={args.wrangler_runs}).",
        "",
        *machine(),
        "",
        "Times are wall-clock per process, median (min–max); each includes process start-up "
        f"(spawning `/bin/true` from the harness takes {spawn.median * 1000:.2f} ms median). "
        "CPU is user + system time of the same processes (median); when the machine is shared, "
        "wall time minus CPU time is mostly waiting for a core or for the disk (fsync). "
        "Peak RSS is the largest `ru_maxrss` of any single lunora process (codegen, --check, --watch). "
        "Speed-up is `wrangler types` median over `codegen` median.",
        "",
        *table(results),
        "",
        "First reconcile: `lunora codegen` on a fresh copy of the app, before anything is generated "
        f"or wired (runs={args.first_runs}), so every class, binding, entry and migration is new. "
        "No account can run 20,000 containers (100 vCPU, 400 GiB, 2 TB), so at both sizes the app "
        "has mixed instance sizes and each run plans everything (parse, validate, lints, reconcile, "
        "render), then stops at `container_account_limits` with nothing written: the same work per "
        "container at both sizes. The table above uses apps that fit the account (every container "
        "`lite` or a 1/16-vCPU custom size, one instance), so those runs write their output:",
        "",
        *first_reconcile_rows(first),
        "",
        "Adopt: `lunora adopt --dry-run` on a hand-wired app (`class WorkerN extends Container`, each "
        "renamed to lunora's class, so every binding, entry and migration moves):",
        "",
        "| classes | adopt --dry-run, ms | CPU, ms | CPU per class, µs |",
        "|---:|---|---:|---:|",
        *[
            f"| {n} | {w.fmt()} | {c.median * 1000:.0f} | {c.median / n * 1e6:.0f} |"
            for n, (w, c) in sorted(adopt.items())
        ],
        "",
        "Targets:",
        "",
        *verdicts(results, first, adopt),
    ]
    text = "\n".join(body)
    print(text)
    if not args.no_write:
        write_benchmarks(text)
        print(f"\nwrote {REPO / 'BENCHMARKS.md'}", file=sys.stderr)
    missed = [v for v in verdicts(results, first, adopt) if "**missed**" in v]
    if missed:
        print(f"\n{len(missed)} target(s) missed:\n" + "\n".join(missed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
