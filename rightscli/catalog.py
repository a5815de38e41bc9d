"""The catalog: every rule, the evidence catalogue and the escalation ladder, loaded strictly from data files.

Bundled data sits in the installed package (``rightscli/_data``) or, in a source checkout, at the repository root
(``policies/``, ``templates/``). A user's ``--policy-dir`` adds rule files; a user rule may not reuse a bundled id
unless its effective dates do not overlap (a new version of the rule).
"""

import itertools
import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TypeVar

import msgspec
from msgspec import field

from rightscli import datafile
from rightscli.data_root import data_root as data_root  # where the bundled data is: imported from here too
from rightscli.data_root import policies_dir as policies_dir
from rightscli.data_root import templates_dir as templates_dir
from rightscli.errors import ErrorList, PolicyError, UserError
from rightscli.holidays import Schedule, is_schedule_file, read_schedule
from rightscli.i18n import tr
from rightscli.policy import EscalationStep, EvidenceItem, Policy, Text, Wait

SPECIAL_FILES = ("evidence.yaml", "escalation.yaml", "waits.yaml", "questions.yaml")  # data files, not rules
T = TypeVar("T")


class Catalog(msgspec.Struct, dict=True):
    policies: list[Policy] = field(default_factory=list)
    evidence: dict[str, EvidenceItem] = field(default_factory=dict)
    escalation: list[EscalationStep] = field(default_factory=list)
    waits: list[Wait] = field(default_factory=list)
    calendars: list[Schedule] = field(default_factory=list)  # holidays-YYYY.yaml: official schedules by year
    # The wizard's question for each case path (questions.yaml), so that a view can put a missing fact to the buyer
    # as the question the interview would ask. Only the prompts: the wizard reads the full file itself.
    asks: dict[str, Text] = field(default_factory=dict)

    def versions(self, policy_id: str) -> list[Policy]:
        return self._index().get(policy_id, [])

    def ids(self) -> list[str]:
        return list(self._index())

    def _index(self) -> dict[str, list[Policy]]:
        """Rules by id, sorted by id."""
        return self.derived("catalog.by_id", _by_id)

    def derived(self, key: str, build: "Callable[[Catalog], T]") -> T:
        """Data computed from the catalog alone, built on first use and kept with it (e.g. the engine's table of
        rules by id); built again when the policy list is replaced or a policy in it is (policies are frozen)."""
        memo = self.__dict__.get("_derived")
        if memo is None or memo[0] != self.policies:  # compares the policies by identity first: quick
            memo = self.__dict__["_derived"] = (list(self.policies), {})
        store: dict[str, T] = memo[1]
        if key not in store:
            store[key] = build(self)
        return store[key]

    def get(self, policy_id: str, on: date | None = None) -> Policy:
        versions = self.versions(policy_id)
        if not versions:
            import difflib

            hint = difflib.get_close_matches(policy_id, self.ids(), n=1)
            if hint:
                raise UserError(tr("policy.unknown_id_hint", id=policy_id, hint=hint[0]))
            raise UserError(tr("policy.unknown_id", id=policy_id))
        if on is not None:
            for p in versions:
                if p.in_force(on):
                    return p
        return max(versions, key=lambda p: p.effective_from or date.min)


def _by_id(catalog: Catalog) -> dict[str, list[Policy]]:
    grouped: dict[str, list[Policy]] = {}
    for p in catalog.policies:
        grouped.setdefault(p.id, []).append(p)
    return {pid: grouped[pid] for pid in sorted(grouped)}


def rule_files(folder: Path, *, schedules: bool = False) -> list[Path]:
    """Rule files under a folder (recursively), not the evidence, escalation or waits files, nor the holiday
    schedules (``holidays-YYYY.yaml``): those are listed instead with ``schedules=True``."""
    found: list[str] = []  # strings, sorted as strings: Path objects cost ~1 ms more on every command
    stack = [str(folder.absolute())]
    seen: set[tuple[int, int]] = set()
    while stack:  # os.scandir: several times faster than Path.rglob, and this runs on every command
        current = stack.pop()
        st = os.stat(current)
        if (st.st_dev, st.st_ino) in seen:  # a folder reached twice through a symbolic link (or a link to itself)
            continue
        seen.add((st.st_dev, st.st_ino))
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    stack.append(entry.path)
                elif (
                    entry.name.endswith(".yaml")
                    and entry.name not in SPECIAL_FILES
                    and is_schedule_file(entry.name) == schedules
                ):
                    found.append(entry.path)
    return [Path(path) for path in sorted(found, key=lambda path: path.split(os.sep))]


def read_policy_file(path: Path, display: str | None = None) -> tuple[Policy | None, list[PolicyError]]:
    """Parse one rule file; returns the policy (None if unusable) and every problem found in it."""
    try:
        doc = datafile.load(str(path), error=PolicyError, regular=True)
    except UserError as exc:
        return None, [PolicyError(exc.message, file=display or exc.file, line=exc.line)]
    if display:
        doc.source = display
    from rightscli.policy_reader import Reader  # the files are read only without a cached or shipped catalog

    reader = Reader(doc)
    policy = reader.policy()
    return policy, reader.errors


def load_catalog(extra_dirs: Iterable[str | Path] = (), *, root: Path | None = None) -> Catalog:
    """Load the bundled catalog plus the user's policy folders. Raises one error listing every problem.

    A valid catalog is cached on disk (see :mod:`rightscli.catalog_cache`), keyed by every file it was read from.
    """
    from rightscli import catalog_cache

    base = root or policies_dir()
    extra = [Path(d) for d in extra_dirs]
    if not all(folder.is_dir() for folder in extra):
        return _read_catalog(base, extra)  # reports the missing folder
    files = bundled_files(base, extra)
    try:
        key = catalog_cache.fingerprint(files)
    except OSError:  # e.g. a dangling link: read without the cache, which reports the file by name
        return _read_catalog(base, extra)
    name = catalog_cache.catalog_name([base, *extra])
    cached = catalog_cache.load(key, Catalog, name)
    if isinstance(cached, Catalog):
        catalog = cached
    else:
        shipped = None if extra else _shipped(base, files)  # the first run after installing the wheel
        catalog = shipped or _read_catalog(base, extra)
        catalog_cache.store(key, catalog, name)
    _use_calendars(catalog)
    if root is None:
        _LOADED[:] = [catalog]
    return catalog


def _shipped(base: Path, files: list[Path]) -> Catalog | None:
    """The bundled catalog as the wheel ships it parsed (:mod:`rightscli.prebuilt`), if ``files`` (under ``base``, the
    bundled policies folder) are the ones it was built from; its rules' file names moved to ``base``."""
    from rightscli import prebuilt

    if base != policies_dir():
        return None
    found = prebuilt.read(prebuilt.CATALOG, tuple[str, str, Catalog], files, base)
    if found is None:
        return None
    built_in, catalog = found
    here = str(base.absolute())
    if built_in != here:
        catalog.policies = [msgspec.structs.replace(p, file=_moved(p.file, built_in, here)) for p in catalog.policies]
        catalog.calendars = [msgspec.structs.replace(c, file=_moved(c.file, built_in, here)) for c in catalog.calendars]
    return catalog


def _moved(file: str, old: str, new: str) -> str:
    return new + file[len(old) :] if file.startswith(old) else file


_LOADED: list[Catalog] = []  # the catalog load_catalog returned last for the bundled folder (with any --policy-dir)


def bundled_evidence() -> dict[str, EvidenceItem]:
    """The evidence catalogue (``policies/evidence.yaml``): only the bundled folder has one, so it is the same whatever
    ``--policy-dir`` adds. Taken from the catalog this process loaded last, else loaded now (a letter asks for it
    after its catalog is loaded: it is not read twice)."""
    if _LOADED:
        return _LOADED[-1].evidence
    return load_catalog(()).evidence


def bundled_files(base: Path, extra: list[Path]) -> list[Path]:
    """Every data file a catalog of these folders is read from, in a fixed order (the special files, then each
    folder's rules and holiday schedules)."""
    files = [base / name for name in SPECIAL_FILES if (base / name).is_file()]
    for folder in [base, *extra]:
        files += rule_files(folder) if folder.is_dir() else []
        files += rule_files(folder, schedules=True) if folder.is_dir() else []
    return files


def _use_calendars(catalog: Catalog) -> None:
    from rightscli import catalog_cache, daycount

    daycount.use_schedules(catalog.calendars)
    years = catalog_cache.calendar_years()
    if years is not None:
        daycount.use_calendar_years(years)


def _read_catalog(base: Path, extra_dirs: list[Path]) -> Catalog:
    from rightscli.policy_reader import Reader

    errors: list[UserError] = []
    catalog = Catalog()
    for special, attr in (("evidence.yaml", "evidence"), ("escalation.yaml", "escalation"), ("waits.yaml", "waits")):
        path = base / special
        if not path.is_file():
            errors.append(PolicyError(tr("policy.bundled_missing"), file=str(path)))
            continue
        try:
            doc = datafile.load(str(path), error=PolicyError, regular=True)
        except UserError as exc:
            errors.append(exc)
            continue
        reader = Reader(doc)
        if attr == "evidence":
            catalog.evidence = {item.id: item for item in reader.evidence_catalogue()}
        elif attr == "waits":
            catalog.waits = reader.waits()
        else:
            catalog.escalation = reader.escalation()
        errors.extend(reader.errors)
    catalog.asks = _question_prompts(base / "questions.yaml")
    folders = [base]
    for extra in extra_dirs:
        folder = Path(extra)
        if not folder.is_dir():
            errors.append(PolicyError(tr("policy.not_folder"), file=str(extra)))
            continue
        folders.append(folder)
    for folder in folders:
        for path in rule_files(folder):
            policy, problems = read_policy_file(path)
            errors.extend(problems)
            if policy is not None and not problems:
                catalog.policies.append(policy)
        for path in rule_files(folder, schedules=True):
            try:
                schedule, problems = read_schedule(datafile.load(str(path), error=PolicyError, regular=True))
            except UserError as exc:
                errors.append(exc)
                continue
            errors.extend(problems)
            if schedule is not None:
                # a user's file for a year replaces the bundled one (folders are read bundled first)
                catalog.calendars = [c for c in catalog.calendars if c.year != schedule.year] + [schedule]
    errors.extend(cross_check(catalog))
    if errors:
        raise ErrorList.of(errors)
    catalog.policies.sort(key=lambda p: (p.jurisdiction != "cn", p.id, p.effective_from or date.min))
    return catalog


def _question_prompts(path: Path) -> dict[str, Text]:
    """{case path: prompt} from the wizard's questions file; a file that does not read is left to the wizard and to
    `rights policies validate`, which report it."""
    try:
        data = datafile.load(str(path), error=PolicyError, regular=True).data
    except UserError:
        return {}
    out: dict[str, Text] = {}
    for item in data.get("questions", []) if isinstance(data, dict) else []:
        prompt = item.get("prompt") if isinstance(item, dict) else None
        if isinstance(prompt, dict) and isinstance(prompt.get("zh"), str) and isinstance(prompt.get("en"), str):
            out[str(item.get("id"))] = Text(prompt["zh"], prompt["en"])
    return out


def cross_check(catalog: Catalog) -> list[UserError]:
    """Problems that span files: overlapping versions of one id, dangling evidence ids, a waiting window the same as
    a rule that is not there."""
    errors: list[UserError] = []
    by_id: dict[str, list[Policy]] = {}
    for p in catalog.policies:
        by_id.setdefault(p.id, []).append(p)
    for pid, versions in by_id.items():
        versions.sort(key=lambda p: p.effective_from or date.min)
        for a, b in itertools.pairwise(versions):
            if a.effective_to is None or b.effective_from is None or b.effective_from <= a.effective_to:
                errors.append(
                    PolicyError(
                        tr("policy.overlapping_versions", id=pid, other=a.file),
                        file=b.file,
                        line=b.line,
                        path="id",
                    )
                )
    for i, wait in enumerate(catalog.waits):
        if wait.same_as is not None and wait.same_as not in by_id:
            message = tr("policy.unknown_same_as", id=wait.same_as)
            errors.append(PolicyError(message, file=str(policies_dir() / "waits.yaml"), path=f"waits[{i}].same_as"))
    if catalog.evidence:
        for p in catalog.policies:
            for eid in p.evidence:
                if eid not in catalog.evidence:
                    errors.append(PolicyError(tr("policy.unknown_evidence", id=eid), file=p.file, path="evidence"))
    return errors
