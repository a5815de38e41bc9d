"""Every performance target of issue 17 in one run, then one table: each figure beside its target, the load average
while it was measured and the command that measures it alone.

    python benchmarks/targets.py                    # everything (~10 min on 2 cores: 100,000 cases once)
    python benchmarks/targets.py --sizes 1000,10000 # memory up to 10,000 cases only (~4 min)
    python benchmarks/targets.py --runs 15          # more interleaved runs per start-up figure

It runs the sections of benchmarks/startup.py (commands against the `python -c "import typer"` floor, the peers, a
cache shared by two sets of policy folders, the first run after `pip install`) and of benchmarks/batch.py (1,000 cases
against one letter, two workers against one, memory from 1,000 to 100,000 cases), each printing its own figures as
it goes; see those files for how each is measured. Exit status 1 when a figure misses its target. Two workers against
one is measured a second time with the letters on tmpfs (/dev/shm), where no fsync waits for a disk, and reported
beside the target: the difference between the two figures is what the disk makes.

Wall times on a shared machine move with the load: every figure comes from interleaved runs (so that noise hits both
sides alike) and the table gives the 1-minute load average when it was taken. Two workers cannot be faster than one
when another program keeps one of the two cores busy: read that figure with its load.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import batch  # benchmarks/batch.py
import startup  # benchmarks/startup.py

HERE = "benchmarks"
SHM = "/dev/shm"  # tmpfs on Linux: files there are never written to a disk
REPRODUCE = {
    "warm": f"python {HERE}/startup.py --only warm",
    "peers": f"python {HERE}/startup.py --only peers",
    "alternate": f"python {HERE}/startup.py --only alternate",
    "first-run": f"python {HERE}/startup.py --only first-run",
    "throughput": f"python {HERE}/batch.py --no-workers --no-memory",
    "workers": f"python {HERE}/batch.py --no-throughput --no-memory",
    "workers-tmpfs": f"TMPDIR={SHM} python {HERE}/batch.py --no-throughput --no-memory",
    "memory": f"python {HERE}/batch.py --no-throughput --no-workers",
}


def table(figures: list[startup.Figure]) -> bool:
    """Print the figures with their targets; True when all that have a target meet it."""
    print(f"{'figure':48s} {'measured':>8s}  {'cpu':>6s}  {'target':>8s}  {'':5s}  {'load':>5s}  reproduce")
    ok = True
    for f in figures:
        if f.target is None:
            goal, verdict = "reported", ""
        else:
            goal = f"{'≥' if f.at_least else '≤'} {f.target:g}×"
            met = f.value >= f.target if f.at_least else f.value <= f.target
            verdict = "ok" if met else ("UNDER" if f.at_least else "OVER")
            ok &= met
        cpu = "" if f.cpu is None else f"{f.cpu:5.2f}×"
        print(f"{f.name:48s} {f.value:7.2f}×  {cpu:>6s}  {goal:>8s}  {verdict:5s}  {f.load:5.2f}", REPRODUCE[f.section])
    return ok


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]  # figures as they come, in a log too
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="interleaved runs per start-up figure")
    parser.add_argument("--batch-runs", type=int, default=5, help="batches of 1,000 per batch figure")
    parser.add_argument("--sizes", default="1000,10000,100000", help="case counts for the memory figure")
    parser.add_argument("--case", default="examples/changed-mind-in-time.yaml", help="the case of the start-up figures")
    args = parser.parse_args()
    rights = str(Path(sys.executable).parent / "rights")
    print(f"{os.cpu_count()} CPUs; load average {startup.load():.2f} at the start")
    with tempfile.TemporaryDirectory(prefix="rights-targets-") as tmp:
        work = Path(tmp)
        print("\n== start-up: each command against the floor")
        startup.warm(args.runs, rights, args.case, work)
        print("\n== peers: one letter each")
        startup.peers(args.runs, rights, args.case, work)
        print("\n== one cache entry per set of policy folders")
        startup.alternate(args.runs, rights, args.case, work)
        # The batch figures before the wheel's installation and the memory runs, which create and delete thousands
        # of files: on some disks that slows every file created in the next 60 s (benchmarks/batch.py).
        print("\n== rights batch: 1,000 cases against one letter")
        batch.settle(65)
        batch.throughput(rights, work, args.batch_runs, None)
        print("\n== rights batch: two workers against one")
        batch.workers(rights, work, args.batch_runs)
        if Path(SHM).is_dir():  # the same without the disk: how much of the gap to the target the disk makes
            with tempfile.TemporaryDirectory(prefix="rights-targets-", dir=SHM) as shm:
                batch.workers(rights, Path(shm), args.batch_runs, where="tmpfs")
        print("\n== rights batch: memory")
        batch.memory(work, batch.sizes_arg(args.sizes), None)
        print("\n== the first run after pip install")
        installed = startup.wheel_venv(work)
        startup.first_run(args.runs, str(startup.ROOT / args.case), work, str(installed / "bin" / "rights"))
    print(f"\nload average {startup.load():.2f} at the end\n")
    return 0 if table(startup.FIGURES) else 1


if __name__ == "__main__":
    sys.exit(main())
