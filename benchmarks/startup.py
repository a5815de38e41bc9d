"""Start-up budget: wall time of `rights` commands against the `python -c "import typer"` floor.

Runs each command N times, interleaved (floor, command, floor, command, …) so that machine noise hits both alike,
and prints the medians and the ratio. Usage:

    python benchmarks/startup.py [--runs 9] [--case examples/changed-mind-in-time.yaml]

Targets (issues 2, 3, 5): assess --json ≤ 1.5 × floor; letter --format md ≤ 2 × floor.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Measure as an installed program runs: with bytecode caches (pip compiles installed packages; a source checkout
# gets its caches on the first, warm-up run), and with the catalog cache in a folder of its own.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.setdefault("RIGHTS_CACHE_DIR", str(ROOT / "benchmarks" / ".cache"))


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--case", default="examples/changed-mind-in-time.yaml")
    args = parser.parse_args()
    py = sys.executable
    rights = str(Path(py).parent / "rights")  # the console script, as users run it
    floor_cmd = [py, "-c", "import typer"]
    commands = {
        "assess --json": [rights, "assess", args.case, "--json"],
        "policies list --json": [rights, "policies", "list", "--json"],
    }
    if (ROOT / "templates" / "letters").is_dir():
        commands["letter --format md"] = [rights, "letter", args.case, "--to", "merchant"]
    targets = {"assess --json": 1.5, "letter --format md": 2.0}
    for cmd in [floor_cmd, *commands.values()]:  # warm the file cache, and time only commands that work
        done = subprocess.run(cmd, capture_output=True, check=False, cwd=ROOT, env=ENV)
        if done.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed (exit {done.returncode}):\n{done.stderr.decode(errors='replace')}")
    floors: list[tuple[float, float]] = []
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            floors.append(timed(floor_cmd))
            samples[name].append(timed(cmd))
    floor = statistics.median(w for w, _ in floors)
    floor_cpu = statistics.median(c for _, c in floors)
    print(
        f"floor  python -c 'import typer'   median {floor * 1000:7.1f} ms  cpu {floor_cpu * 1000:6.1f} ms"
        f"  ({len(floors)} runs)"
    )
    failed = False
    for name, times in samples.items():
        median = statistics.median(w for w, _ in times)
        cpu = statistics.median(c for _, c in times)
        ratio = median / floor
        target = targets.get(name)
        verdict = "" if target is None else (f"  target ≤ {target}×  " + ("ok" if ratio <= target else "OVER"))
        failed |= target is not None and ratio > target
        print(
            f"rights {name:28s} median {median * 1000:7.1f} ms  cpu {cpu * 1000:6.1f} ms  ratio {ratio:4.2f}×"
            f"  (cpu {cpu / floor_cpu:4.2f}×){verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
