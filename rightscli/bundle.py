"""`rights bundle`: one ZIP file to upload or hand in: the letter as DOCX and PDF, the evidence index (证据目录) as PDF,
a copy of every recorded evidence file named by its index number, and ``manifest.json`` (name, SHA-256 and size of
every other file in the ZIP).

* Every recorded file is hashed again first; a file that changed since ``rights evidence add`` recorded it, or is
  missing, stops the bundle (a :class:`BundleError`, exit 2, naming each). The bytes copied into the ZIP are hashed
  once more while they are read, so a file changed in between is caught too.
* Entry names are built from fixed words and numbers only (民事起诉状.pdf, 证据目录.pdf, 证据/1-2.jpg, manifest.json):
  nothing from the case file (a name, a path, an order number) reaches a name in the ZIP, so no entry can climb out
  of the folder it is extracted to. The original paths are not written into the ZIP either.
* The ZIP is built in memory and written like every output: atomically, mode 0600, never over an existing file
  without ``force`` (the caller does that with :func:`rightscli.output.write_output`).

Nothing here prints.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import datetime
from typing import Any

import msgspec

from rightscli import __version__
from rightscli.assessment import Assessment
from rightscli.errors import UserError, os_reason
from rightscli.i18n import tr

EVIDENCE_FOLDER = "证据"
INDEX_NAME = "证据目录.pdf"
MANIFEST = "manifest.json"
SAFE_WORD = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff\u3400-\u4dbf（）()-]")


class BundleError(UserError):
    """The bundle cannot be made (a recorded file changed or is missing); exit 2."""


class Bundle(msgspec.Struct, frozen=True):
    data: bytes
    manifest: list[dict[str, Any]]
    warnings: list[str]
    notes: str


def safe_word(text: str, fallback: str) -> str:
    """A title from the bundled data as a file name: CJK, letters, digits and brackets only."""
    cleaned = SAFE_WORD.sub("", text)[:40]
    return cleaned or fallback


def build_bundle(case_path: str, assessment: Assessment, recipient: str, *, lang: str, now: datetime) -> Bundle:
    """The ZIP for ``recipient``; see the module docstring."""
    from rightscli.letters.letter import convert, render_letter
    from rightscli.register import problems, resolve, verify

    case = assessment.case
    bad = problems(verify(case_path, case))
    if bad:
        lines = [
            tr("bundle.bad_item", lang, no=c.no, id=c.record.id, path=c.record.path, status=_status(c.status, lang))
            for c in bad
        ]
        head = tr("bundle.bad_head", lang)
        hint = tr("bundle.bad_hint", lang)
        raise BundleError(
            "\n".join([head, *(f"  {line}" for line in lines), hint]),
            file=case_path,
        )
    rendered = render_letter(assessment, recipient, "docx", None, lang)
    warnings = list(rendered.warnings)
    title = safe_word(rendered.title, "letter")
    entries: list[tuple[str, bytes]] = [
        (f"{title}.docx", rendered.data if isinstance(rendered.data, bytes) else rendered.data.encode()),
        (f"{title}.pdf", _as_bytes(convert(rendered.markdown, "pdf", rendered.title, warnings, lang))),
    ]
    index_rows = _index_rows(assessment, recipient)
    copies: list[tuple[str, bytes]] = []
    for row in index_rows:
        for f, record in zip(row["files"], [r for r in case.evidence_files if r.id == row["id"]], strict=True):
            path = resolve(case_path, record.path)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise BundleError(
                    tr("bundle.unreadable", no=f["no"], path=record.path, reason=os_reason(exc)), file=case_path
                ) from None
            if hashlib.sha256(raw).hexdigest() != record.sha256:
                raise BundleError(tr("bundle.changed", no=f["no"], path=record.path), file=case_path)
            copies.append((f"{EVIDENCE_FOLDER}/{f['name']}", raw))
    index_md = _index_markdown(assessment, index_rows, rendered.title)
    entries.append((INDEX_NAME, _as_bytes(convert(index_md, "pdf", "证据目录", warnings, lang))))
    entries.extend(copies)
    manifest = [{"name": name, "sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)} for name, raw in entries]
    meta = {
        "format": 1,
        "generator": f"rightscli {__version__}",
        "created": now.isoformat(timespec="seconds"),
        "recipient": recipient,
        "files": manifest,
    }
    buffer = io.BytesIO()
    stamp = now.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, raw in [*entries, (MANIFEST, _json(meta))]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100600 & 0xFFFF) << 16  # a regular file, rw for the owner only
            zf.writestr(info, raw)
    return Bundle(data=buffer.getvalue(), manifest=manifest, warnings=warnings, notes=rendered.notes)


def _when(stamp: str) -> str:
    """'2026-11-20T10:15:00+08:00' → '2026年11月20日 10:15' (China time, as recorded)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _status(status: str, lang: str) -> str:
    zh = {"changed": "已改动", "missing": "找不到", "unreadable": "无法读取"}
    return status.upper() if lang == "en" else zh.get(status, status)


def _as_bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _index_rows(assessment: Assessment, recipient: str) -> list[dict[str, Any]]:
    from rightscli.letters.data import load_letter_data
    from rightscli.letters.evidence_index import evidence_index

    data = load_letter_data()
    who = data.recipients[recipient]
    platform = data.platforms.get(assessment.case.platform) or "平台"
    names = {"platform": platform, "buyer": who.buyer_role, "seller": who.seller_role}
    return evidence_index(assessment, data, names, voice=who.buyer_self)


def _index_markdown(assessment: Assessment, rows: list[dict[str, Any]], letter_title: str) -> str:
    """The evidence index of the bundle: the court's columns, then every file with its name in the ZIP and hash."""
    from rightscli.letters.mdtext import md_escape
    from rightscli.letters.wording import cn_date

    def cell(text: str) -> str:
        return md_escape(text)

    case = assessment.case
    lines = ["# 证据目录", "", f"随附：{cell(letter_title)}", ""]
    if not rows:
        lines += ["【待补充：证据材料】", ""]
    else:
        lines += [
            "| 序号 | 证据名称 | 证据形式 | 证据来源 | 证明目的 | 页码/份数 | 原件/复印件 |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in rows:
            values = [str(r["no"]), r["label"], r["form"], r["source"], r["proves"], r["copies"], r["original"]]
            lines.append("| " + " | ".join(cell(v) for v in values) + " |")
        files = [(r, f) for r in rows for f in r["files"]]
        if files:
            lines += [
                "",
                "## 证据文件",
                "",
                "文件在本材料包的“证据”文件夹中，按编号命名；SHA-256 为登记时计算的校验值，可用于核对文件未被改动。",
                "",
                "| 编号 | 证据名称 | 文件 | 大小（字节） | 登记时间 | SHA-256 |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            for r, f in files:
                digest = " ".join(f["sha256"][i : i + 16] for i in range(0, 64, 16))  # wraps in a narrow column
                values = [f["no"], r["label"], f"{EVIDENCE_FOLDER}/{f['name']}", f"{f['size']:,}",
                          _when(f["recorded_at"]), digest]  # fmt: skip
                lines.append("| " + " | ".join(cell(v) for v in values) + " |")
    name = case.buyer.name or "【待补充：提交人姓名】"
    lines += ["", f"> 提交人：{cell(name)}", f"> {cn_date(assessment.as_of)}", ""]
    return "\n".join(lines)
