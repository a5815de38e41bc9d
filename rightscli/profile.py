"""The buyer profile: name, phone and address, asked once and remembered for later cases and letters.

Kept in ``profile.yaml`` under the user's config folder (platformdirs ``user_config_dir("rightscli")``, or the folder
in ``RIGHTS_CONFIG_DIR``), written atomically with mode 0600 in a folder of mode 0700. Values are checked by the case
model (they are the case's ``buyer`` fields), so a profile value is valid exactly when it is valid in a case file.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from rightscli.errors import ErrorList, InputError, OutputError, os_reason
from rightscli.i18n import tr

FIELDS = ("name", "phone", "address")
FILE_NAME = "profile.yaml"


def config_dir() -> Path:
    override = os.environ.get("RIGHTS_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("rightscli", appauthor=False))


def profile_path() -> Path:
    return config_dir() / FILE_NAME


def load_profile() -> dict[str, str]:
    """The saved profile ({} when there is none); a damaged file is reported with its name and line."""
    path = profile_path()
    if not path.is_file():
        return {}
    from rightscli import datafile

    doc = datafile.load(str(path))
    if not isinstance(doc.data, dict):
        raise InputError(tr("profile.bad_file"), file=str(path))
    unknown = [k for k in doc.data if k not in FIELDS]
    if unknown:
        raise InputError(
            tr("profile.unknown_key", key=unknown[0]),
            file=str(path),
            line=doc.line_of(str(unknown[0])),
        )
    check({k: v for k, v in doc.data.items() if v is not None}, source=str(path))
    return {k: str(v).strip() for k, v in doc.data.items() if v is not None and str(v).strip()}


def check(values: dict[str, object], source: str = "profile") -> None:
    """Validate profile values as the case model's ``buyer`` fields (one validation path)."""
    from rightscli.case import check_partial
    from rightscli.datafile import Document

    _, errors = check_partial(Document({"buyer": dict(values)}, source), text_values=True)
    if errors:
        raise ErrorList.of(errors)


def save_profile(values: dict[str, str]) -> Path:
    """Write the profile (only the non-empty fields); returns its path."""
    import yaml

    from rightscli.output import write_private

    clean = {k: values[k].strip() for k in FIELDS if values.get(k) and values[k].strip()}
    check(clean)
    folder = config_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise OutputError(tr("profile.no_folder", reason=os_reason(exc)), file=str(folder)) from None
    path = folder / FILE_NAME
    text = "# rightscli buyer profile: used in letters. Delete with `rights profile forget`.\n"
    text += yaml.safe_dump(clean, allow_unicode=True, sort_keys=False)
    write_private(path, text, overwrite=True)
    return path


def forget_profile() -> Path | None:
    """Delete the saved profile; returns its path, or None when there was none."""
    path = profile_path()
    if not path.exists():
        return None
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return path
