"""`rights evidence add | list | verify`: the register of evidence files (registered on the main app).

The work is in :mod:`rightscli.register`; this module parses, calls it and prints.
"""

from __future__ import annotations

import sys
import unicodedata
from datetime import datetime
from typing import Annotated, Any

import typer

from rightscli.cli import CHINA, LangOpt, app, check_lang, handle_errors, print_json, today_in_china
from rightscli.i18n import t

evidence_app = typer.Typer(
    help="Record files of evidence in the case file (path, SHA-256, size, time) and check that they are unchanged.",
    no_args_is_help=True,
)
app.add_typer(evidence_app, name="evidence")

CaseFileArg = Annotated[str, typer.Argument(metavar="CASE", help="The case file (YAML or JSON).", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (nothing else on stdout).")]


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
    epilog="Examples:\n\n  rights evidence add case.yaml 截图/订单详情.png --as order_record\n\n"
    "  rights evidence add case.yaml 聊天记录.mp4 --as chat_log --note '从App首页开始的录屏'\n\n"
    "Evidence ids: order_record, payment_record, chat_log, product_page, photos, unboxing_video, logistics_record, "
    "quality_report, authenticity_proof, invoice, merchant_refusal, label_photo, medical_records, price_history, "
    "return_shipping_record.",
)
@handle_errors
def evidence_add(
    case: CaseFileArg,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file of evidence (left where it is).")],
    as_id: Annotated[
        str, typer.Option("--as", metavar="ID", help="Which evidence item the file is (see below).", show_default=False)
    ],
    note: Annotated[str | None, typer.Option("--note", help="What the file shows.", show_default=False)] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Record a file already recorded again, with its current content.")
    ] = False,
    lang: LangOpt = "zh",
) -> None:
    """Record a file of evidence: its path, SHA-256, size and the time, written into the case file (atomically,
    under the case file's lock, the previous version kept as CASE.bak). The file itself is never moved or copied."""
    lang = check_lang(lang)
    from rightscli.register import add_file

    added = add_file(case, file, as_id, note=note, now=datetime.now(CHINA), today=today_in_china(), force=force)
    r = added.record
    label = _labels(lang).get(r.id, r.id)
    print(t("ev_added", lang, no=added.no, label=label, path=r.path, size=f"{r.size:,}", short=r.sha256[:12]))


@evidence_app.command(
    "list", epilog="Examples:\n\n  rights evidence list case.yaml\n\n  rights evidence list case.yaml --json"
)
@handle_errors
def evidence_list(case: CaseFileArg, json_out: JsonOpt = False, lang: LangOpt = "zh") -> None:
    """The recorded files: number, evidence item, path, size, time recorded and SHA-256."""
    lang = check_lang(lang)
    case_obj = _load(case)
    labels = _labels(lang)
    rows = [_record_json(no, r, labels.get(r.id, r.id)) for no, r in enumerate(case_obj.evidence_files, start=1)]
    if json_out:
        print_json(rows)
        return
    if not rows:
        print(t("ev_none", lang))
        return
    heads = [t(k, lang) for k in ("ev_head_no", "ev_head_item", "ev_head_file", "ev_head_size", "ev_head_recorded")]
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
    _table([*heads, t("ev_head_sha", lang)], [[*b, r["sha256"][:16] + "…"] for b, r in zip(body, rows, strict=True)])


@evidence_app.command(
    "verify",
    epilog="Examples:\n\n  rights evidence verify case.yaml          # exit 2 if a file changed or is missing\n\n"
    "  rights evidence verify case.yaml --json",
)
@handle_errors
def evidence_verify(case: CaseFileArg, json_out: JsonOpt = False, lang: LangOpt = "zh") -> None:
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
        print(t("ev_none", lang))
    elif not bad:
        print(t("ev_verify_ok", lang, n=len(checks)))
    if bad:
        lines = [t("ev_verify_bad", lang, bad=len(bad))]
        for c in bad:
            detail = f"（{c.detail}）" if c.detail and lang == "zh" else (f" ({c.detail})" if c.detail else "")
            label = labels.get(c.record.id, c.record.id)
            status = t(f"ev_{c.status}", lang)
            lines.append(
                t("ev_verify_item", lang, no=c.no, label=label, path=c.record.path, status=status, detail=detail)
            )
        lines.append(t("ev_verify_hint", lang))
        print("rights: error: " + "\n".join(lines), file=sys.stderr)
        raise typer.Exit(2)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(heads: list[str], rows: list[list[str]]) -> None:
    """A plain table, columns padded to their display width (a CJK character is two columns), no trailing spaces."""
    widths = [max(_width(r[j]) for r in [heads, *rows]) for j in range(len(heads))]
    for row in [heads, *rows]:
        cells = [cell + " " * (widths[j] - _width(cell)) for j, cell in enumerate(row)]
        print("  ".join(cells).rstrip())
