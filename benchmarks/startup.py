"""Start-up budget: wall time of `rights` commands against the `python -c "import typer"` floor, the first run after
an install, a cache shared by several sets of policy folders, and two peers (copier, cookiecutter) writing a letter.

Every figure comes from interleaved runs (floor, command, floor, command, …) so that machine noise hits both alike;
medians are printed with the ratio. Usage:

    python benchmarks/startup.py [--runs 9] [--case examples/changed-mind-in-time.yaml]
    python benchmarks/startup.py --only warm         # one section: warm | peers | alternate | first-run
    python benchmarks/startup.py --install-peers     # create benchmarks/.peers (a venv with copier and cookiecutter)

benchmarks/targets.py runs these sections and those of benchmarks/batch.py, then prints every figure in one table.

Targets (issue 17): assess --json ≤ 1.3 × floor; letter --format md ≤ 1.5 ×; a DOCX letter ≤ 2.5 ×; a PDF letter is
measured and reported. The first run after `pip install` (an empty cache folder; the parsed catalog and the compiled
templates come with the wheel) ≤ 1.3 × a warm run. A script that alternates the bundled rules and a `--policy-dir`
of 1,000 rules runs as fast as one that does not (one cache entry per set of folders).

Peers are taken from this venv (`pip install -e '.[bench]'`) or from benchmarks/.peers; without them that section says
how to get them. They render one letter of the same text from a template with the case's values, as a user of those
tools would.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "benchmarks" / ".peers"

# Measure as an installed program runs: with bytecode caches (pip compiles installed packages; a source checkout
# gets its caches on the first, warm-up run), and with the catalog cache in a folder of its own.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.setdefault("RIGHTS_CACHE_DIR", str(ROOT / "benchmarks" / ".cache"))

Sample = tuple[float, float]  # wall, cpu (seconds)


class Figure(NamedTuple):
    """One measured figure (benchmarks/targets.py prints them all in a table)."""

    section: str  # warm | peers | alternate | first-run | throughput | workers | workers-tmpfs | memory
    name: str
    value: float
    target: float | None  # None: measured and reported
    load: float  # the 1-minute load average when it was taken
    at_least: bool = False  # the target is a floor (≥), not a ceiling (≤)
    cpu: float | None = None  # the same ratio in CPU time (user + system): less moved by the load


FIGURES: list[Figure] = []


def load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def timed(cmd: list[str], env: dict[str, str] | None = None, before: Callable[[], None] | None = None) -> Sample:
    """Wall time and CPU time (user + system) of one run of ``cmd`` (``before`` runs first, untimed)."""
    if before is not None:
        before()
    start_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT, env=env or ENV)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (usage.ru_utime - start_usage.ru_utime) + (usage.ru_stime - start_usage.ru_stime)


def check(cmd: list[str], env: dict[str, str] | None = None) -> None:
    """Run once (warms the file cache and the caches) and stop when the command fails: only working commands count."""
    done = subprocess.run(cmd, capture_output=True, check=False, cwd=ROOT, env=env or ENV)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed (exit {done.returncode}):\n{done.stderr.decode(errors='replace')[-2000:]}")


def median(samples: list[Sample]) -> tuple[float, float]:
    return statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples)


def row(
    name: str,
    samples: list[Sample],
    base: tuple[float, float],
    target: float | None,
    of: str,
    *,
    section: str,
    at_least: bool = False,
    figure: str | None = None,
) -> bool:
    """Print one line and keep it in :data:`FIGURES` (as ``figure``, else ``name``); True when it misses its target."""
    wall, cpu = median(samples)
    ratio = wall / base[0]
    missed = target is not None and (ratio < target if at_least else ratio > target)
    verdict = (
        "" if target is None else (f"  target {'≥' if at_least else '≤'} {target}×  " + ("OVER" if missed else "ok"))
    )
    if missed and at_least:
        verdict = verdict.replace("OVER", "UNDER")
    print(
        f"{name:34s} median {wall * 1000:7.1f} ms  cpu {cpu * 1000:6.1f} ms  {ratio:5.2f}× {of}"
        f"  (cpu {cpu / base[1]:4.2f}×){verdict}"
    )
    FIGURES.append(Figure(section, figure or name, ratio, target, load(), at_least, cpu / base[1]))
    return missed


def interleave(runs: int, commands: dict[str, Callable[[], Sample]]) -> dict[str, list[Sample]]:
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, run in commands.items():
            samples[name].append(run())
    return samples


def warm(runs: int, rights: str, case: str, work: Path) -> bool:
    """Each command against the floor, in pairs (floor, command)."""
    py = sys.executable
    floor_cmd = [py, "-c", "import typer"]
    commands = {
        "rights assess --json": ([rights, "assess", case, "--json"], 1.3),
        "rights letter --format md": ([rights, "letter", case, "--to", "merchant"], 1.5),
        "rights letter -o x.docx": ([rights, "letter", case, "--to", "merchant", "-o", str(work / "x.docx"), "--force"],
                                    2.5),
        "rights letter -o x.pdf": ([rights, "letter", case, "--to", "merchant", "-o", str(work / "x.pdf"), "--force"],
                                   None),
        "rights policies list --json": ([rights, "policies", "list", "--json"], None),
    }  # fmt: skip
    for cmd in [floor_cmd, *(c for c, _ in commands.values())]:
        check(cmd)
    floors: list[Sample] = []
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, _) in commands.items():
            floors.append(timed(floor_cmd))
            samples[name].append(timed(cmd))
    base = median(floors)
    print(f"{'floor: python -c import typer':34s} median {base[0] * 1000:7.1f} ms  cpu {base[1] * 1000:6.1f} ms"
          f"  ({len(floors)} runs)")  # fmt: skip
    over = False
    for name, (_, target) in commands.items():
        over |= row(name, samples[name], base, target, "floor", section="warm", figure=f"{name} / floor")
    return over


# -- peers ---------------------------------------------------------------------------------------------------------

LETTER = """\
# {{ v.title }}

{{ v.seller_role }}：{{ v.addressee }}
{{ v.buyer_role }}：{{ v.buyer.name }}
联系电话：{{ v.buyer.phone }}

{{ v.addressee }}：

本人于{{ v.order.paid_on }}在{{ v.platform }}平台贵店“{{ v.shop }}”购买{{ v.order.item }}（订单号：{{ v.order.id }}），\
因{{ v.problem }}，与贵方发生争议。现将有关事项函告如下。

## 一、事实经过

{% for f in v.facts %}
{{ loop.index }}. {{ f }}
{% endfor %}

## 二、理由和依据

{% for f in v.findings %}
{{ loop.index }}. {{ f.title }}。{{ f.summary }}（依据：{{ f.citation }}）
{% endfor %}

## 三、要求

{% for r in v.requests %}
{{ loop.index }}. {{ r }}。
{% endfor %}

## 五、证据目录

| 序号 | 证据名称 | 证据形式 | 证明目的 |
| --- | --- | --- | --- |
{% for e in v.evidence %}
| {{ loop.index }} | {{ e.label }} | {{ e.form }} | {{ e.proves }} |
{% endfor %}

此致
{{ v.addressee }}

> {{ v.buyer_role }}（签名）：{{ v.buyer.name }}
> {{ v.date }}
"""


def letter_values(rights_py: str, case: str) -> dict[str, object]:
    """The values of the merchant letter for ``case``, as rights computes them (plain data for the peers)."""
    code = (
        "import json, sys\n"
        "from rightscli.cli.common import load_case_and_catalog\n"
        "from rightscli.engine import assess\n"
        "from rightscli.letters.context import build_letter_context\n"
        "case, catalog, day = load_case_and_catalog(sys.argv[1], None, None)\n"
        "v = build_letter_context(assess(case, catalog, day, 'zh'), 'merchant').values\n"
        "s = lambda x: '' if x is None else str(x)\n"
        "out = {'title': s(v['title']), 'seller_role': s(v['seller_role']), 'buyer_role': s(v['buyer_role']),\n"
        "  'addressee': s(v['merchant']['addressee']), 'shop': s(v['merchant']['shop']),\n"
        "  'platform': s(v['platform']['name']), 'problem': s(v['problem']['summary']), 'date': s(v['date']),\n"
        "  'buyer': {k: s(v['buyer'][k]) for k in ('name', 'phone')},\n"
        "  'order': {k: s(v['order'][k]) for k in ('paid_on', 'item', 'id')},\n"
        "  'facts': [s(f['text']) for f in v['facts']],\n"
        "  'findings': [{k: s(f[k]) for k in ('title', 'summary', 'citation')} for f in v['findings']],\n"
        "  'requests': [s(r['line']) for r in v['requests']],\n"
        "  'evidence': [{k: s(e[k]) for k in ('label', 'form', 'proves')} for e in v['evidence']]}\n"
        "print(json.dumps(out, ensure_ascii=False))\n"
    )
    done = subprocess.run([rights_py, "-c", code, case], capture_output=True, text=True, cwd=ROOT, env=ENV)
    if done.returncode != 0:
        sys.exit(f"could not build the peers' values:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def peer_bin(name: str) -> str | None:
    for folder in (Path(sys.executable).parent, PEERS / "bin"):
        if (folder / name).exists():
            return str(folder / name)
    return None


def peers(runs: int, rights: str, case: str, work: Path) -> None:
    copier, cookiecutter = peer_bin("copier"), peer_bin("cookiecutter")
    if not copier or not cookiecutter:
        print("peers: copier or cookiecutter not found; `pip install -e '.[bench]'` or `python benchmarks/startup.py "
              "--install-peers` (a venv of their own in benchmarks/.peers)")  # fmt: skip
        return
    values = letter_values(sys.executable, case)
    # cookiecutter: cookiecutter.json and a folder named by a variable; copier: copier.yml with one YAML question.
    cc = work / "cookiecutter-letter"
    (cc / "{{cookiecutter.slug}}").mkdir(parents=True)
    (cc / "cookiecutter.json").write_text(json.dumps({"slug": "letter", "v": values}, ensure_ascii=False), "utf-8")
    (cc / "{{cookiecutter.slug}}" / "letter.md").write_text("{% set v = cookiecutter.v %}" + LETTER, "utf-8")
    cp = work / "copier-letter"
    cp.mkdir()
    spec = {"v": {"type": "yaml", "default": values}}
    (cp / "copier.yml").write_text(json.dumps(spec, ensure_ascii=False), "utf-8")  # JSON is YAML
    (cp / "letter.md.jinja").write_text(LETTER, "utf-8")
    cc_env = {**ENV, "COOKIECUTTER_CONFIG": str(work / "cookiecutterrc")}
    (work / "cookiecutterrc").write_text(f"replay_dir: {work / 'replay'}\ncookiecutters_dir: {work / 'cc-dir'}\n")
    commands = {
        "rights letter -o letter.md": [rights, "letter", case, "--to", "merchant", "-o", str(work / "r.md"), "--force"],
        "cookiecutter (one letter)": [cookiecutter, "--no-input", "-f", "-o", str(work / "cc-out"), str(cc)],
        "copier copy (one letter)": [copier, "copy", "--defaults", "--overwrite", "--quiet", str(cp),
                                     str(work / "cp-out")],
    }  # fmt: skip
    for name, cmd in commands.items():
        check(cmd, cc_env if name.startswith("cookie") else None)
    for out in ("cc-out/letter/letter.md", "cp-out/letter.md"):
        if "此致" not in (work / out).read_text("utf-8"):
            sys.exit(f"{out}: the peer's letter is not complete")
    envs = {name: cc_env if name.startswith("cookie") else ENV for name in commands}
    samples = interleave(runs, {name: (lambda c=cmd, e=envs[name]: timed(c, e)) for name, cmd in commands.items()})
    base = median(samples["rights letter -o letter.md"])
    for name in commands:
        # A peer's figure above 1: it takes longer than rights for the same letter
        if name.startswith("rights"):
            print(f"{name:34s} median {base[0] * 1000:7.1f} ms  cpu {base[1] * 1000:6.1f} ms")
        else:  # above 1: the peer takes longer than rights to write the same letter
            row(name, samples[name], base, 1.0, "rights", section="peers", at_least=True, figure=f"{name} / rights")


# -- one cache entry per set of policy folders ----------------------------------------------------------------------

RULE = (
    "id: taobao.bench{n:04d}\ntitle: {{zh: 基准规则{n}, en: bench rule {n}}}\njurisdiction: taobao\n"
    "summary: {{zh: x, en: x}}\nsources: [{{document: d, article: a}}]\nlast_reviewed: 2026-11-01\n"
    "confidence: verified\nwhen: {{fact: platform, eq: taobao}}\nexplanation: {{zh: 说明, en: text}}\n"
)


ALTERNATE_TARGET = 1.15


def alternate(runs: int, rights: str, case: str, work: Path) -> None:
    """`assess --json` with the bundled rules, then with a --policy-dir of 1,000 rules, alternately; each against
    the same command when only that set is used."""
    extra = work / "rules"
    extra.mkdir()
    for n in range(1000):
        (extra / f"taobao.bench{n:04d}.yaml").write_text(RULE.format(n=n), "utf-8")
    bundled = [rights, "assess", case, "--json"]
    more = [*bundled, "--policy-dir", str(extra)]
    check(bundled)
    check(more)
    # Each round: bundled after bundled (alone), more after bundled (alternating), more after more (alone), bundled
    # after more (alternating).
    check(bundled)
    samples = interleave(
        runs,
        {
            "bundled alone": lambda: timed(bundled),
            "more alternating": lambda: timed(more),
            "more alone": lambda: timed(more),
            "bundled alternating": lambda: timed(bundled),
        },
    )
    print(f"{'':34s} (a run after one with the other set, against a run after one with the same set)")
    for name, alternating, alone in (
        ("assess, bundled, alternating", "bundled alternating", "bundled alone"),
        ("assess, 1,000 rules, alternating", "more alternating", "more alone"),
    ):
        # A rebuild of the cache costs far more than noise (1,000 rules: 5.4× before there was an entry per set).
        row(name, samples[alternating], median(samples[alone]), ALTERNATE_TARGET, "alone", section="alternate",
            figure=f"{name} / alone")  # fmt: skip


# -- the first run after an install ---------------------------------------------------------------------------------


def wheel_venv(work: Path) -> Path:
    """A venv with the wheel of this tree installed (not editable); its dependencies come from this venv."""
    dist = work / "dist"
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)]
    done = subprocess.run(build, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"building the wheel failed:\n{done.stderr[-2000:]}")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True,
                          text=True, check=True).stdout.strip()  # fmt: skip
    Path(site, "parent-deps.pth").write_text("\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n")
    wheel = next(dist.glob("rightscli-*.whl"))
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    return env_dir


def first_run(runs: int, case: str, work: Path, installed: str) -> bool:
    """A command with an empty cache folder (the first after `pip install`) against the same command warm. The cache
    folder is where a user's is, under ``XDG_CACHE_HOME`` (``RIGHTS_CACHE_DIR`` unset): a new one for each first run."""
    rights = installed
    over = False
    user_env = {k: v for k, v in ENV.items() if k != "RIGHTS_CACHE_DIR"}
    for name, args in (
        ("assess --json", ["assess", case, "--json"]),
        ("letter (md)", ["letter", case, "--to", "merchant"]),
    ):
        env_warm = {**user_env, "XDG_CACHE_HOME": str(work / "warm-cache")}
        check([rights, *args], env_warm)
        fresh: list[Path] = []

        def first(args: list[str] = args, fresh: list[Path] = fresh) -> Sample:
            folder = work / f"fresh-{len(fresh)}"
            fresh.append(folder)
            return timed([rights, *args], {**user_env, "XDG_CACHE_HOME": str(folder)})

        samples = interleave(runs, {"warm": lambda a=args, e=env_warm: timed([rights, *a], e), "first": first})
        for folder in fresh:
            shutil.rmtree(folder, ignore_errors=True)
        over |= row(f"first {name}", samples["first"], median(samples["warm"]), 1.3, "warm", section="first-run",
                    figure=f"first {name} after install / warm")  # fmt: skip
    return over


def install_peers() -> None:
    venv.EnvBuilder(with_pip=True).create(PEERS)
    subprocess.run([str(PEERS / "bin" / "python"), "-m", "pip", "install", "-q", "copier", "cookiecutter"], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--case", default="examples/changed-mind-in-time.yaml")
    parser.add_argument("--only", choices=("warm", "peers", "alternate", "first-run"), default=None)
    parser.add_argument("--install-peers", action="store_true", help="create benchmarks/.peers and exit")
    args = parser.parse_args()
    if args.install_peers:
        install_peers()
        return 0
    rights = str(Path(sys.executable).parent / "rights")  # the console script, as users run it
    sections = [args.only] if args.only else ["warm", "peers", "alternate", "first-run"]
    print(f"load average {load():.2f} at the start; {args.runs} interleaved runs per figure")
    over = False
    with tempfile.TemporaryDirectory(prefix="rights-startup-") as tmp:
        work = Path(tmp)
        if "warm" in sections:
            over |= warm(args.runs, rights, args.case, work)
        if "peers" in sections:
            print()
            peers(args.runs, rights, args.case, work)
        if "alternate" in sections:
            print()
            alternate(args.runs, rights, args.case, work)
        if "first-run" in sections:
            print()
            installed = wheel_venv(work)
            print(f"{'':34s} (a wheel of this tree, installed in a fresh venv; an empty cache folder each time)")
            over |= first_run(args.runs, str(ROOT / args.case), work, str(installed / "bin" / "rights"))
    print(f"load average {load():.2f} at the end")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
