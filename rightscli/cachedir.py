"""The user's cache folder and whether a file in it may be trusted (no third-party imports: the console script asks
before anything else is loaded)."""

import os
import stat
from pathlib import Path


def cache_dir() -> Path:
    """``RIGHTS_CACHE_DIR``, else ``$XDG_CACHE_HOME/rightscli``, else ``~/.cache/rightscli``."""
    explicit = os.environ.get("RIGHTS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rightscli"


def enabled() -> bool:
    """False when ``RIGHTS_NO_CACHE`` is set (to anything but 0): no cache is read or written."""
    return os.environ.get("RIGHTS_NO_CACHE", "") in ("", "0")


def trusted(path: str | os.PathLike[str]) -> os.stat_result | None:
    """The file's status when it belongs to the user and nobody else can write it (a link is judged by its target)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return st if owner_ok and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)) else None
