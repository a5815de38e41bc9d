"""`rights policies validate`: strict checks of policy files, plus warnings for stale or out-of-force rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rightscli import datafile
from rightscli.catalog import (
    SPECIAL_FILES,
    Catalog,
    cross_check,
    load_catalog,
    policies_dir,
    read_policy_file,
    rule_files,
)
from rightscli.errors import ErrorList, PolicyError, UserError
from rightscli.i18n import tr
from rightscli.policy import Policy
from rightscli.policy_reader import Reader

# The data files that are not rules, and the Reader method that reads each (the questions have their own reader).
SPECIAL_READERS = {"evidence.yaml": "evidence_catalogue", "escalation.yaml": "escalation", "waits.yaml": "waits"}

REVIEW_AFTER_DAYS = 365


@dataclass
class ValidationReport:
    files: int = 0
    policies: int = 0
    errors: list[UserError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": not self.errors,
            "files": self.files,
            "policies": self.policies,
            "errors": [e.to_json() for e in self.errors],
            "warnings": self.warnings,
        }


def validate_paths(paths: list[Path], today: date) -> ValidationReport:
    """Check the given files and folders (the bundled catalog when none are given)."""
    report = ValidationReport()
    if not paths:
        files = rule_files(policies_dir())
        report.files = len(files) + len(SPECIAL_FILES)
        try:
            catalog = load_catalog()
        except ErrorList as exc:
            report.errors.extend(exc.errors)
            return report
        except UserError as exc:
            report.errors.append(exc)
            return report
        questions = policies_dir() / "questions.yaml"
        if questions.is_file():  # the catalog does not read the wizard's questions; check them here
            report.errors.extend(read_special(questions))
        policies = catalog.policies
    else:
        policies = []
        for path in paths:
            if path.is_dir():
                files = rule_files(path) + [path / name for name in SPECIAL_FILES if (path / name).is_file()]
            elif path.exists():  # a file (a pipe or device given here is refused when it is read)
                files = [path]
            else:
                report.errors.append(UserError(tr("file.no_such_path"), file=str(path)))
                continue
            for file in files:
                if file.name in SPECIAL_FILES:
                    report.files += 1
                    report.errors.extend(read_special(file))
                    continue
                report.files += 1
                policy, problems = read_policy_file(file)
                report.errors.extend(problems)
                if policy is not None and not problems:
                    policies.append(policy)
        try:
            bundled = load_catalog()
        except UserError:
            bundled = Catalog()
        # Checked together with the bundled rules, as `--policy-dir` will use them: an id that overlaps a bundled
        # rule's dates is refused here too.
        report.errors.extend(cross_check(Catalog(policies=[*bundled.policies, *policies], evidence=bundled.evidence)))
    report.policies = len(policies)
    current = {p.id for p in policies if p.in_force(today)}
    for p in policies:
        report.warnings.extend(policy_warnings(p, today, superseded=p.id in current and not p.in_force(today)))
    return report


def policy_warnings(p: Policy, today: date, *, superseded: bool = False) -> list[str]:
    """Warnings for one rule; ``superseded``: an older version whose id has a version in force today."""
    out: list[str] = []
    age = (today - p.last_reviewed).days
    if age > REVIEW_AFTER_DAYS:
        out.append(tr("policy.warn_old", file=p.file, id=p.id, day=p.last_reviewed, days=age))
    if p.effective_to and p.effective_to < today and not superseded:
        out.append(tr("policy.warn_out_of_force", file=p.file, id=p.id, day=p.effective_to))
    if p.effective_from and p.effective_from > today:
        out.append(tr("policy.warn_not_yet", file=p.file, id=p.id, day=p.effective_from))
    for s in p.sources:
        if s.effective_to and s.effective_to < today and not p.effective_to:
            out.append(
                tr(
                    "policy.warn_source_out",
                    file=p.file,
                    id=p.id,
                    source=f"{s.document} {s.article}",
                    day=s.effective_to,
                )
            )
    if p.last_reviewed > today:
        out.append(tr("policy.warn_future_review", file=p.file, id=p.id, day=p.last_reviewed))
    return out


def read_special(path: Path) -> list[UserError]:
    """Problems in an evidence, escalation, waits or questions file, read with its own reader."""
    if path.name == "questions.yaml":
        from rightscli.wizard.questions import load_questions

        try:
            load_questions(path)
        except ErrorList as exc:
            return list(exc.errors)
        except UserError as exc:
            return [exc]
        return []
    try:
        doc = datafile.load(str(path), error=PolicyError, regular=True)
    except UserError as exc:
        return [exc]
    reader = Reader(doc)
    getattr(reader, SPECIAL_READERS[path.name])()
    return list(reader.errors)
