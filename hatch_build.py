"""Hatch build hook: the wheel ships the bundled catalog parsed, the letter data read and the templates compiled
(rightscli/_data/prebuilt/, made by rightscli/prebuild.py, read by rightscli/prebuilt.py), so the first command after
`pip install` does not build them.

Run by hatchling for the wheel (not for an editable install, whose first command builds the cache folder instead). The
files are made by `python -m rightscli.prebuild` from this source tree, in a process of its own with the cache turned
off (the builder's own cache folder is left alone); build-system.requires lists what that needs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._out = Path(tempfile.mkdtemp(prefix="rightscli-prebuilt-"))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [self.root, os.environ.get("PYTHONPATH")]))}
        env["RIGHTS_NO_CACHE"] = "1"
        done = subprocess.run(
            [sys.executable, "-m", "rightscli.prebuild", str(self._out)],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"building rightscli/_data/prebuilt failed:\n{done.stderr[-4000:]}")
        for name in done.stdout.split():
            build_data["force_include"][str(self._out / name)] = f"rightscli/_data/prebuilt/{name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
