"""One call to render a letter or a checklist in any format, with the warnings for the buyer: for `rights letter`,
`rights checklist` and any other command that writes letters (e.g. a batch run)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightscli.assessment import Assessment
from rightscli.catalog import Catalog

FORMATS = ("md", "txt", "html", "docx")
PLACEHOLDER_RE = re.compile(r"【待补充：([^】]*)】")

NOTES: dict[str, dict[str, str]] = {
    "placeholder": {
        "zh": "信中有待补充的内容 【待补充：{label}】：{hint}",
        "en": "the letter has a gap to fill in, 【待补充：{label}】: {hint}",
    },
    "hint_field": {"zh": "可在案件文件中填写 {path} 后重新生成", "en": "set {path} in the case file and run again"},
    "hint_hand": {"zh": "请在发送前手工填写", "en": "fill it in by hand before sending"},
    "unsupported": {
        "zh": "案件要求“{value}”，但没有适用的规则支持，信中未写入这项请求",
        "en": "the case asks for '{value}', but no applicable rule supports it; the letter leaves it out",
    },
    "no_findings": {
        "zh": "没有适用的规则，信中没有法律依据；请先运行 rights assess 查看原因",
        "en": "no rule applies, so the letter cites no law; run `rights assess` to see why",
    },
    "no_report_grounds": {
        "zh": "案件中没有可举报的违法行为线索（如假冒、虚假宣传、价格欺诈、拒绝依法退货），请补充",
        "en": "the case shows no violation to report (counterfeit, false advertising, price fraud, refused lawful "
        "return); add it by hand",
    },
    "missing_evidence": {
        "zh": "还有 {n} 项证据待收集：{items}（见 rights checklist）",
        "en": "{n} evidence item(s) still to collect: {items} (see rights checklist)",
    },
}


def note(key: str, lang: str, **values: Any) -> str:
    entry = NOTES[key]
    return (entry.get(lang) or entry["zh"]).format(**values)


@dataclass
class Rendered:
    markdown: str
    data: str | bytes  # in the requested format
    title: str
    warnings: list[str] = field(default_factory=list)


def convert(markdown: str, fmt: str, title: str) -> str | bytes:
    """Markdown → the format asked for; markdown-it and python-docx are imported only when needed."""
    if fmt == "md":
        return markdown
    from rightscli.letters import convert as conv

    if fmt == "txt":
        return conv.to_text(markdown)
    if fmt == "html":
        return conv.to_html(markdown)
    return conv.to_docx(markdown, title=title)


def render_letter(
    assessment: Assessment, recipient: str, fmt: str = "md", template_dir: Path | None = None, lang: str = "zh"
) -> Rendered:
    """The letter to ``recipient`` for an assessment (made in Chinese), and the warnings in ``lang``."""
    from rightscli.catalog import templates_dir
    from rightscli.letters.context import build_letter_context
    from rightscli.letters.render import render

    ctx = build_letter_context(assessment, recipient)
    names = [f"{recipient}.md.j2", f"letters/{recipient}.md.j2"] if template_dir else [f"letters/{recipient}.md.j2"]
    markdown = render(names, ctx.values, template_dir, templates_dir())
    title = str(ctx.values["title"])
    warnings = list(assessment.warnings)
    for item in ctx.notes:
        key, _, value = item.partition(":")
        warnings.append(note(key, lang, value=value))
    for label in dict.fromkeys(PLACEHOLDER_RE.findall(markdown)):
        path = ctx.hints.get(label)
        hint = note("hint_field", lang, path=path) if path else note("hint_hand", lang)
        warnings.append(note("placeholder", lang, label=label, hint=hint))
    missing = ctx.values["missing_evidence"]
    if missing:
        warnings.append(note("missing_evidence", lang, n=len(missing), items="、".join(missing)))
    return Rendered(markdown, convert(markdown, fmt, title), title, warnings)


def render_checklist(
    assessment: Assessment, catalog: Catalog, fmt: str = "md", template_dir: Path | None = None, lang: str = "zh"
) -> Rendered:
    from rightscli.catalog import templates_dir
    from rightscli.letters.checklist import build_checklist_context
    from rightscli.letters.render import render

    ctx = build_checklist_context(assessment, catalog, lang)
    markdown = render(["checklist.md.j2"], ctx, template_dir, templates_dir())
    title = ctx["labels"]["title"]
    return Rendered(markdown, convert(markdown, fmt, title), title)
