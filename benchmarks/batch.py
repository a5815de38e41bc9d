"""Batch budget: `rights batch` throughput against single `rights letter` runs, and its memory from 1k to 100k cases.

Throughput (issue 17: 1,000 cases in the time of at most 8 single runs): runs `rights letter CASE --to merchant -o
FILE` and `rights batch 1000.jsonl --to merchant --out-dir DIR --draft`, interleaved (letter, letter, letter, batch,
…) so that machine noise hits both alike, and prints the medians and the ratio batch / letter. The CPU time (user +
system, all processes) is printed too: on a busy machine it moves less than the wall time. (``--draft``: two of the
examples ask for nothing the law supports, and their letters are written as drafts rather than refused.)

Workers (issue 17: two workers at least 1.7 times as fast as one on two cores): the same batch with ``--jobs 1`` and
``--jobs 2``, interleaved.

Memory (issue 5: flat from 1,000 to 100,000 cases): runs the batch over generated inputs of each size, writing the
letters (Markdown) into a temporary folder that is deleted afterwards, and prints the peak resident set size of the
batch process and of its largest worker (getrusage), with the time taken.

    python benchmarks/batch.py                       # throughput, then memory at 1k, 10k and 100k (~10 min)
    python benchmarks/batch.py --sizes 1000,10000    # a quicker memory check
    python benchmarks/batch.py --no-memory --runs 5  # throughput and workers only

The cases are the bundled examples, cycled, each with its own order id. benchmarks/targets.py runs these sections and
those of benchmarks/startup.py, then prints every figure in one table.

The letters are written where ``tempfile`` puts temporary folders (``TMPDIR=/dev/shm`` measures without the disk). File
creation is part of the batch's cost, and on some disks it depends on what happened just before: on the machine these
figures come from (ext4 without a journal), every file created soon after many deletions (a previous run's clean-up, a
test suite) cost up to ~1.5 ms more kernel time (ext4 skips each recently deleted inode when it allocates one, reading
it to check: ``recently_deleted`` in the kernel's profile). "Recently" is 60 s after the deletion, or 360 s while the
inode's table block is not yet written back (``RECENTCY_MIN`` and ``RECENTCY_DIRTY`` in the kernel's fs/ext4/ialloc.c;
60 s since 2020, 5 s before). Measured there, 1,000 letters took 8.6-9.4 times one letter on a quiet disk, 13 times
right after another run, and 6.9 times on tmpfs. So the timed sections keep every letter they write until the benchmark
ends (its folder is removed then), and ``--settle SECONDS`` (benchmarks/targets.py: 65) flushes the disk, so that no
such block is left dirty, and waits that long first, after whatever ran before. Another program deleting many files
meanwhile still shows in the figures: let the disk rest.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import FIGURES, Figure, load  # benchmarks/startup.py: the figures benchmarks/targets.py prints

ROOT = Path(__file__).resolve().parent.parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.setdefault("RIGHTS_CACHE_DIR", str(ROOT / "benchmarks" / ".cache"))
CASE = "examples/laptop-defect.yaml"
TARGET = 8.0
WORKERS_TARGET = 1.7
MEMORY_TARGET = 1.1  # flat: the peak at the largest size at most 10% above the peak at the smallest


def generate(n: int, path: Path) -> None:
    """``n`` cases as JSON Lines, written as they are made (the examples, cycled, with order ids of their own)."""
    sys.path.insert(0, str(ROOT))
    from rightscli import datafile

    base = [datafile.load(str(p)).data for p in sorted((ROOT / "examples").glob("*.yaml"))]
    lines = [json.dumps(case, ensure_ascii=False) for case in base]
    ids = [str(case["order"]["id"]) for case in base]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            k = i % len(base)
            fh.write(lines[k].replace(f'"id": "{ids[k]}"', f'"id": "B{i:07d}"', 1) + "\n")


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system of the command and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def throughput(rights: str, work: Path, runs: int, jobs: str | None) -> bool:
    cases = work / "1000.jsonl"
    generate(1000, cases)
    letter = [rights, "letter", CASE, "--to", "merchant", "-o", str(work / "one.md"), "--force"]
    extra = ["--jobs", jobs] if jobs else []
    outs: list[Path] = []

    def batch() -> tuple[float, float]:
        # A new folder for each batch; all are deleted after the last one. Deleting a batch's 1,000 letters just
        # before the next batch would make that batch pay for it: ext4 without a journal (this machine's disk) skips
        # recently deleted inodes one by one on every file it creates, which made each create up to ~1 ms slower.
        out = work / f"out-{len(outs)}"
        outs.append(out)
        result = timed([rights, "batch", str(cases), "--to", "merchant", "--out-dir", str(out), "--draft", *extra])
        count = len(os.listdir(out))
        if count != 1000:
            raise SystemExit(f"the batch wrote {count} letters, expected 1000")
        return result

    timed(letter)  # warm the file cache, the catalog cache and the compiled templates
    singles: list[tuple[float, float]] = []
    batches: list[tuple[float, float]] = []
    for _ in range(runs):
        singles += [timed(letter) for _ in range(3)]
        batches.append(batch())
    # The letters stay until the benchmark's folder is removed at its end: removing them now would make the next
    # section's batches pay for it (see the module's description), which measures the disk, not rights.
    one = statistics.median(w for w, _ in singles)
    one_cpu = statistics.median(c for _, c in singles)
    many = statistics.median(w for w, _ in batches)
    many_cpu = statistics.median(c for _, c in batches)
    ratio = many / one
    verdict = "ok" if ratio <= TARGET else "OVER"
    print(f"rights letter --format md (one case)   median {one * 1000:8.0f} ms   cpu {one_cpu * 1000:7.0f} ms")
    # seconds for 1,000 cases = milliseconds per case
    print(f"rights batch, 1,000 cases{f' -j {jobs}' if jobs else ''}        median {many * 1000:8.0f} ms   cpu "
          f"{many_cpu * 1000:7.0f} ms   ({many:.2f} ms per case)")  # fmt: skip
    print(f"ratio batch of 1,000 / one letter: {ratio:5.2f}×  (cpu {many_cpu / one_cpu:5.2f}×)  "
          f"target ≤ {TARGET:.0f}×  {verdict}  (load average {load():.2f})")  # fmt: skip
    name = f"batch of 1,000{f' -j {jobs}' if jobs else ''} / one letter"
    FIGURES.append(Figure("throughput", name, ratio, TARGET, load(), cpu=many_cpu / one_cpu))
    return ratio <= TARGET


def workers(rights: str, work: Path, runs: int, *, where: str = "") -> bool:
    """The same batch of 1,000 with one worker and with two, interleaved; each batch in a new folder. ``where``
    names a folder other than the temporary one (``"tmpfs"``: a figure without the disk, reported beside the target)."""
    cases = work / "1000.jsonl"
    if not cases.exists():
        generate(1000, cases)
    outs: list[Path] = []

    def batch(jobs: str) -> tuple[float, float]:
        out = work / f"w-{len(outs)}"
        outs.append(out)
        return timed([rights, "batch", str(cases), "--to", "merchant", "--out-dir", str(out), "--draft", "-j", jobs])

    one: list[tuple[float, float]] = []
    two: list[tuple[float, float]] = []
    for _ in range(runs):
        one.append(batch("1"))
        two.append(batch("2"))
    wall1, wall2 = statistics.median(w for w, _ in one), statistics.median(w for w, _ in two)
    cpu1, cpu2 = statistics.median(c for _, c in one), statistics.median(c for _, c in two)
    print(f"rights batch, 1,000 cases -j 1           median {wall1 * 1000:8.0f} ms   cpu {cpu1 * 1000:7.0f} ms")
    print(f"rights batch, 1,000 cases -j 2           median {wall2 * 1000:8.0f} ms   cpu {cpu2 * 1000:7.0f} ms")
    speedup = wall1 / wall2
    if where:  # measured to show how much of the difference the disk makes: reported, not a target
        print(f"two workers / one worker, letters on {where}: {speedup:4.2f}× as fast"
              f"  ({os.cpu_count()} CPUs, load average {load():.2f})")  # fmt: skip
        FIGURES.append(
            Figure(f"workers-{where}", f"same, letters on {where}", speedup, None, load(), True, cpu1 / cpu2)
        )
        return True
    verdict = "ok" if speedup >= WORKERS_TARGET else "UNDER"
    print(f"two workers / one worker: {speedup:4.2f}× as fast  target ≥ {WORKERS_TARGET}×  {verdict}"
          f"  ({os.cpu_count()} CPUs, load average {load():.2f})")  # fmt: skip
    FIGURES.append(Figure("workers", "batch of 1,000: -j 1 / -j 2", speedup, WORKERS_TARGET, load(), True, cpu1 / cpu2))
    return speedup >= WORKERS_TARGET


def memory(work: Path, sizes: list[int], jobs: str | None) -> None:
    print(f"{'cases':>8}  {'batch process':>14}  {'largest worker':>14}  {'time':>8}  {'per case':>9}")
    peaks: list[tuple[int, int, int]] = []  # cases, KiB of the batch process, KiB of its largest worker
    for n in sizes:
        cases = work / f"{n}.jsonl"
        generate(n, cases)
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        figures = work / "rss.json"
        args = ["batch", str(cases), "--to", "merchant", "--out-dir", str(out), "--draft"]
        args += ["--jobs", jobs] if jobs else []
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--child", str(figures), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            cwd=ROOT,
            env=ENV,
        )
        secs = time.perf_counter() - start
        rss = json.loads(figures.read_text())
        written = sum(1 for _ in os.scandir(out))
        shutil.rmtree(out)
        cases.unlink()
        note = "" if written == n else f"  (wrote {written}!)"
        print(
            f"{n:>8,}  {rss['self'] / 1024:11.1f} MB  {rss['children'] / 1024:11.1f} MB  {secs:7.1f}s  "
            f"{secs / n * 1000:6.2f} ms{note}"
        )
        peaks.append((n, rss["self"], rss["children"]))
    if len(peaks) > 1:
        (small, *first), (large, *last) = peaks[0], peaks[-1]
        for name, before, after in zip(("batch", "worker"), first, last, strict=True):
            if before:  # no worker with --jobs 1
                figure = f"peak RSS ({name}), {large:,} / {small:,} cases"
                FIGURES.append(Figure("memory", figure, after / before, MEMORY_TARGET, load()))


def child(figures: str, args: list[str]) -> None:
    """Run `rights ARGS` in this process and record its peak RSS and its workers' (KiB, Linux)."""
    from rightscli.cli import app

    with contextlib.suppress(SystemExit):
        app(args, prog_name="rights")
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(figures).write_text(json.dumps({"self": me, "children": workers}))


def settle(seconds: float) -> None:
    """Flush the disk, then wait: files deleted before this are no longer "recently deleted" for ext4 (60 s after
    their deletion once it is on the disk, see the module's description) when the timed batches create theirs."""
    if seconds > 0:
        print(f"(flushing the disk and waiting {seconds:g} s, so that earlier deletions do not slow file creation)")
        os.sync()
        time.sleep(seconds)


def sizes_arg(text: str) -> list[int]:
    return [int(s.replace("_", "").replace(",", "")) for s in text.split(",") if s.strip()]


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3:])
        return 0
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]  # figures as they come, in a log too
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="batches of 1,000 to time (each after 3 single runs)")
    parser.add_argument("--sizes", type=str, default="1000,10000,100000", help="case counts for the memory check")
    parser.add_argument("--jobs", default=None, help="pass --jobs to rights batch (default: its own choice)")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--no-workers", action="store_true")
    parser.add_argument("--settle", type=float, default=0, help="seconds to wait after flushing the disk, first")
    args = parser.parse_args()
    rights = str(Path(sys.executable).parent / "rights")  # the console script, as users run it
    ok = True
    with tempfile.TemporaryDirectory(prefix="rights-batch-bench-") as tmp:
        work = Path(tmp)
        settle(args.settle)
        if not args.no_throughput:
            ok = throughput(rights, work, args.runs, args.jobs)
        if not args.no_workers:
            ok = workers(rights, work, args.runs) and ok
        if not args.no_memory:
            memory(work, sizes_arg(args.sizes), args.jobs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
