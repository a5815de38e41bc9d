"""`rights evidence add | list | verify`: the register of evidence files (registered on the main app).

The work is in :mod:`rightscli.register`; this module parses, calls it and prints.
"""

from __future__ import annotations

import sys
import unicodedata
from datetime import datetime
from typing import Annotated, Any

import typer

from rightscli.cli.chrome import HELP_VALUES
from rightscli.cli.common import LangOpt, app, check_lang, handle_errors, print_json, today_in_china
from rightscli.clock import CHINA
from rightscli.i18n import tr
from rightscli.vocab import EVIDENCE_IDS

HELP_VALUES["help.evidence_add.epilog"] = lambda: {"ids": ", ".join(EVIDENCE_IDS)}

evidence_app = typer.Typer(
    help="help.evidence",
    no_args_is_help=True,
)
app.add_typer(evidence_app, name="evidence")

CaseFileArg = Annotated[str, typer.Argument(metavar="CASE", help="help.evidence.case", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="help.opt.json")]


def _labels(lang: str) -> dict[str, str]:
    from rightscli.catalog import load_catalog

    return {eid: item.label.get(lang) for eid, item in load_catalog(()).evidence.items()}


def _load(case: str) -> Any:
    from rightscli import datafile
    from rightscli.case import validate_case

    return validate_case(datafile.load(case), today=today_in_china())


def _record_json(no: int, record: Any, label: str) -> dict[str, Any]:
    return {
        "no": no,
        "id": record.id,
        "label": label,
        "path": record.path,
        "sha256": record.sha256,
        "size": record.size,
        "recorded_at": record.recorded_at,
        "note": record.note,
    }


@evidence_app.command(
    "add",
    epilog="help.evidence_add.epilog",
    help="help.evidence_add",
    short_help="help.evidence_add.short",
)
@handle_errors
def evidence_add(
    case: CaseFileArg,
    file: Annotated[str, typer.Argument(metavar="FILE", help="help.evidence_add.file")],
    as_id: Annotated[str, typer.Option("--as", metavar="ID", help="help.evidence_add.as", show_default=False)],
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="help.evidence_add.note", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="help.evidence_add.force")] = False,
    lang: LangOpt = None,
) -> None:
    """Record a file of evidence: its path, SHA-256, size and the time, written into the case file (atomically,
    under the case file's lock, the previous version kept as CASE.bak). The file itself is never moved or copied."""
    lang = check_lang(lang)
    from rightscli.register import add_file

    added = add_file(case, file, as_id, note=note, now=datetime.now(CHINA), today=today_in_china(), force=force)
    r = added.record
    label = _labels(lang).get(r.id, r.id)
    print(tr("evidence.added", lang, no=added.no, label=label, path=r.path, size=f"{r.size:,}", short=r.sha256[:12]))


@evidence_app.command(
    "list",
    epilog="help.evidence_list.epilog",
    help="help.evidence_list",
    short_help="help.evidence_list.short",
)
@handle_errors
def evidence_list(case: CaseFileArg, json_out: JsonOpt = False, lang: LangOpt = None) -> None:
    """The recorded files: number, evidence item, path, size, time recorded and SHA-256."""
    lang = check_lang(lang)
    case_obj = _load(case)
    labels = _labels(lang)
    rows = [_record_json(no, r, labels.get(r.id, r.id)) for no, r in enumerate(case_obj.evidence_files, start=1)]
    if json_out:
        print_json(rows)
        return
    if not rows:
        print(tr("evidence.none", lang))
        return
    heads = [tr(f"evidence.head_{k}", lang) for k in ("no", "item", "file", "size", "recorded")]
    body = [
        [
            str(r["no"]),
            r["label"],
            r["path"] + (f"（{r['note']}）" if r["note"] else ""),
            f"{r['size']:,}",
            r["recorded_at"],
        ]
        for r in rows
    ]
    _table(
        [*heads, tr("evidence.head_sha", lang)], [[*b, r["sha256"][:16] + "…"] for b, r in zip(body, rows, strict=True)]
    )


@evidence_app.command(
    "verify",
    epilog="help.evidence_verify.epilog",
    help="help.evidence_verify",
    short_help="help.evidence_verify.short",
)
@handle_errors
def evidence_verify(case: CaseFileArg, json_out: JsonOpt = False, lang: LangOpt = None) -> None:
    """Hash every recorded file again: exit 0 when all are unchanged, exit 2 naming each file that changed, is
    missing or cannot be read."""
    lang = check_lang(lang)
    from rightscli.register import problems, verify

    case_obj = _load(case)
    checks = verify(case, case_obj)
    labels = _labels(lang)
    bad = problems(checks)
    if json_out:
        print_json(
            [
                {
                    **_record_json(c.no, c.record, labels.get(c.record.id, c.record.id)),
                    "status": c.status,
                    "sha256_now": c.sha256,
                    "size_now": c.size,
                    "detail": c.detail,
                }
                for c in checks
            ]
        )
    elif not checks:
        print(tr("evidence.none", lang))
    elif not bad:
        print(tr("evidence.verify_ok", lang, n=len(checks)))
    if bad:
        lines = [tr("evidence.verify_bad", lang, bad=len(bad))]
        for c in bad:
            detail = f"（{c.detail}）" if c.detail and lang == "zh" else (f" ({c.detail})" if c.detail else "")
            label = labels.get(c.record.id, c.record.id)
            status = tr(f"evidence.{c.status}", lang)
            lines.append(
                tr("evidence.verify_item", lang, no=c.no, label=label, path=c.record.path, status=status, detail=detail)
            )
        lines.append(tr("evidence.verify_hint", lang))
        print(tr("err.prefix") + "\n".join(lines), file=sys.stderr)
        raise typer.Exit(2)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(heads: list[str], rows: list[list[str]]) -> None:
    """A plain table, columns padded to their display width (a CJK character is two columns), no trailing spaces."""
    widths = [max(_width(r[j]) for r in [heads, *rows]) for j in range(len(heads))]
    for row in [heads, *rows]:
        cells = [cell + " " * (widths[j] - _width(cell)) for j, cell in enumerate(row)]
        print("  ".join(cells).rstrip())
