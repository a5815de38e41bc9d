"""The wheel, installed into a fresh venv (not editable), works with its bundled data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.pdf_tools import pdf_text

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0 and "No module named build" in build.stderr:
        pytest.skip("the 'build' package is not installed")
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("rightscli-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # Install the wheel's dependencies from this (already provisioned) environment, the wheel itself without deps.
    site = subprocess.run(
        [str(py), "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True, text=True, check=True
    ).stdout.strip()
    Path(site, "parent-deps.pth").write_text(
        "\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n", encoding="utf-8"
    )
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        check=True,
    )
    rights = [str(env_dir / "bin" / "rights")]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    case = elsewhere / "case.yaml"
    shutil.copy(ROOT / "tests" / "scenarios" / "base_case.yaml", case)
    env = {**os.environ, "PYTHONPATH": ""}
    listed = subprocess.run(
        [*rights, "policies", "list", "--json"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert listed.returncode == 0, listed.stderr
    files = [p["file"] for p in json.loads(listed.stdout)]
    assert files and all("_data" in f and str(ROOT) not in f for f in files)
    assessed = subprocess.run(
        [*rights, "assess", str(case), "--as-of", "2026-11-18", "--json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert assessed.returncode == 0, assessed.stderr
    assert any(f["policy"] == "cn.cpl.art25" for f in json.loads(assessed.stdout)["findings"])
    as_module = subprocess.run([str(py), "-m", "rightscli", "--version"], capture_output=True, text=True, env=env)
    assert as_module.returncode == 0 and as_module.stdout.startswith("rights ")
    # The PDF's font ships inside the wheel: a fresh install writes Chinese that is embedded and extracts.
    pdf = elsewhere / "letter.pdf"
    written = subprocess.run(
        [*rights, "letter", str(case), "--to", "merchant", "--as-of", "2026-11-18", "-o", str(pdf)],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert written.returncode == 0, written.stderr
    assert "PDF" not in written.stderr  # no character fell back to an unembedded font
    assert "催告函" in pdf_text(pdf)
    assert b"RightsCLISerifSC" in pdf.read_bytes()


FIRST_RUN = """
import sys
from rightscli import catalog, prebuilt
from rightscli.letters import data, docx_writer, template_ir

def parsed(*args):
    raise SystemExit("parsed on the first run: " + repr(args[:1]))

catalog._read_catalog = data.read_letter_data = template_ir.build = docx_writer.build_skeleton = parsed
sys.argv = ["rights", *sys.argv[1:]]
from rightscli.entry import main
main()
"""


@pytest.mark.slow
def test_the_wheel_ships_its_data_built_and_a_first_run_parses_nothing(tmp_path: Path) -> None:
    """The first command after `pip install` (an empty cache folder) reads the catalog, the letter data and the
    compiled templates the wheel ships (rightscli/_data/prebuilt, made by hatch_build.py), with the regular expressions
    its build compiled for this Python: no data file is parsed, no template compiled, and the cache folder is filled
    for the next runs."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        check=True,
    )
    wheel = next(dist.glob("rightscli-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        shipped = {Path(n).name for n in zf.namelist() if n.startswith("rightscli/_data/prebuilt/")}
    assert {"catalog.msgpack", "letters.msgpack", "templates.msgpack", "docx-skeleton.msgpack"} <= shipped
    assert any(n.startswith("regex-") for n in shipped)
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        capture_output=True,
        check=True,
    )
    case = ROOT / "examples" / "changed-mind-in-time.yaml"
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(target), "RIGHTS_CACHE_DIR": str(cache)}
    env.pop("RIGHTS_NO_CACHE", None)
    for n, args in enumerate(
        [
            ["assess", str(case), "--json"],
            ["letter", str(case), "--to", "merchant"],
            ["letter", str(case), "--to", "merchant", "-o", "{out}"],
        ]
    ):
        outputs = []
        for code, extra in ((["-c", FIRST_RUN], {}), (["-m", "rightscli"], {"RIGHTS_NO_CACHE": "1"})):
            out = tmp_path / f"letter-{n}-{len(outputs)}.docx"
            done = subprocess.run(  # cwd: not the source tree, so that the package comes from the wheel's install
                [sys.executable, *code, *(a.format(out=out) for a in args)],
                capture_output=True,
                env={**env, **extra},
                cwd=tmp_path,
            )
            assert done.returncode == 0, done.stderr.decode()
            if out.exists():  # a DOCX: the same parts (the zip's entries carry the time they were written)
                with zipfile.ZipFile(out) as zf:
                    outputs.append([(i.filename, zf.read(i)) for i in zf.infolist()])
            else:
                outputs.append(done.stdout)
        assert outputs[0] == outputs[1]
    names = {p.name for p in cache.iterdir()}
    assert {"letters.msgpack"} <= names and any(n.startswith("catalog-") for n in names)
