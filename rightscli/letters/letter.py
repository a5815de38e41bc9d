"""One call to render a letter or a checklist in any format, with the warnings for the buyer: for `rights letter`,
`rights checklist` and any other command that writes letters (e.g. a batch run)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec
from msgspec import field

from rightscli.assessment import Assessment
from rightscli.catalog import Catalog
from rightscli.errors import UserError

FORMATS = ("md", "txt", "html", "docx", "pdf")
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
    "alternative_dropped": {
        "zh": "起诉状的诉讼请求须明确，只写入了第一项选择；备选请求“{value}”未写入，如要改为该请求请修改诉讼请求",
        "en": "a court claim must be definite: only the first choice is claimed; the alternative '{value}' is left out "
        "(edit the claims to ask for it instead)",
    },
    "sole_trader": {
        "zh": "被告的名称像是个体工商户：起诉状的“类型”栏没有个体工商户的选项，"
        "如何填写（经营者本人作为被告等）请向受诉法院确认",
        "en": "the defendant's name looks like a sole trader (个体工商户): the form's type boxes have no such "
        "option; ask the court how to name it (usually the operator in person)",
    },
    "not_small_claims": {
        "zh": "诉讼请求包含“{value}”，不是单纯的金钱给付，不适用小额诉讼的程序",
        "en": "the claims include '{value}', which is not a money payment, so small-claims procedure does not apply",
    },
    "co_defendant": {
        "zh": "已将{value}平台的经营者列为共同被告（消费者权益保护法第四十四条、电子商务法第三十八条）；"
        "请在国家企业信用信息公示系统查询其名称、住所地和统一社会信用代码",
        "en": "the operator of {value} is named as co-defendant (Consumer Protection Law art. 44, E-Commerce Law "
        "art. 38); look up its name, domicile and credit code on the National Enterprise Credit Information Publicity "
        "System",
    },
    "redacted": {
        "zh": "公开投诉中隐去了个人信息（{value}），发布前请再核对一遍",
        "en": "personal data was hidden in the public complaint ({value}); check it once more before posting",
    },
    "toned": {
        "zh": "公开投诉中删去或者改写了可能被视为侮辱的用语：{value}",
        "en": "words that could be taken as insults were left out or toned down in the public complaint: {value}",
    },
    "post_shortened": {
        "zh": "公开投诉正文超过{value}字，已省略部分内容（先省略沟通记录的备注，再缩短问题描述）",
        "en": "the public complaint was longer than {value} characters and was shortened (notes first, then the "
        "description)",
    },
    "pdf_fallback": {
        "zh": "PDF 内置字体中没有这些字符，已改用阅读软件的宋体显示，请打开 PDF 核对：{value}",
        "en": "the PDF's bundled font lacks these characters; they are set in the reader's Song font, so open the PDF "
        "and check them: {value}",
    },
    "rule_after_letter": {
        "zh": "信件日期（as_of）早于本工具收录的最早的投诉举报处理规则的施行日期（{value}），信中引用的是该规则；"
        "在此之前提出的投诉适用当时的规定，发送前请核实所引用的规则",
        "en": "the letter's date (as_of) is before {value}, when the earliest complaint-handling rule rightscli knows "
        "took effect; the letter cites that rule: a complaint made before then fell under the rules of its time, so "
        "check the citation before sending",
    },
    "missing_evidence": {
        "zh": "还有 {n} 项证据待收集：{items}（见 rights checklist）",
        "en": "{n} evidence item(s) still to collect: {items} (see rights checklist)",
    },
}


def note(key: str, lang: str, **values: Any) -> str:
    entry = NOTES[key]
    return (entry.get(lang) or entry["zh"]).format(**values)


class Rendered(msgspec.Struct):
    markdown: str
    data: str | bytes  # in the requested format
    title: str
    warnings: list[str] = field(default_factory=list)
    notes: str = ""  # what the buyer must know before filing or posting: never part of the document


def convert(markdown: str, fmt: str, title: str, warnings: list[str] | None = None, lang: str = "zh") -> str | bytes:
    """Markdown → the format asked for; markdown-it, python-docx and reportlab are imported only when needed.
    ``warnings`` receives what the buyer should check (characters the PDF's font lacks)."""
    if fmt == "md":
        return markdown
    if fmt == "pdf":
        from rightscli.letters.pdf import to_pdf

        data, missing = to_pdf(markdown, title=title)
        if missing and warnings is not None:
            warnings.append(note("pdf_fallback", lang, value="、".join(missing)))
        return data
    from rightscli.letters import convert as conv

    if fmt == "txt":
        return conv.to_text(markdown)
    if fmt == "html":
        return conv.to_html(markdown)
    return conv.to_docx(markdown, title=title)


class NoSupportedRequest(UserError):
    """A letter that would ask for nothing the law supports: not written unless a blank draft is asked for."""


def render_letter(
    assessment: Assessment,
    recipient: str,
    fmt: str = "md",
    template_dir: Path | None = None,
    lang: str = "zh",
    *,
    draft: bool = False,
) -> Rendered:
    """The letter to ``recipient`` for an assessment (made in Chinese), and the warnings in ``lang``.

    A letter with no supported request (a report with no violation to report) is refused with
    :class:`NoSupportedRequest`, which says why and what would change it, unless ``draft`` asks for it anyway.
    """
    from rightscli.catalog import templates_dir
    from rightscli.letters.context import build_letter_context
    from rightscli.letters.render import render

    ctx = build_letter_context(assessment, recipient)
    if not draft:
        from rightscli.letters.support import unsupported_reason

        reason = unsupported_reason(assessment, recipient, ctx.values, lang)
        if reason:
            raise NoSupportedRequest(reason, file=assessment.case.source or None)
    names = [f"{recipient}.md.j2", f"letters/{recipient}.md.j2"] if template_dir else [f"letters/{recipient}.md.j2"]
    markdown = render(names, ctx.values, template_dir, templates_dir())
    notes = ""
    note_names = [n.replace(".md.j2", ".notes.md.j2") for n in names]
    folders = [template_dir, templates_dir() / "letters", templates_dir()] if template_dir else [templates_dir()]
    if any(folder is not None and (folder / n).is_file() for folder in folders for n in note_names):
        notes = render(note_names, ctx.values, template_dir, templates_dir()).strip()
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
    return Rendered(markdown, convert(markdown, fmt, title, warnings, lang), title, warnings, notes)


def render_checklist(
    assessment: Assessment,
    catalog: Catalog,
    fmt: str = "md",
    template_dir: Path | None = None,
    lang: str = "zh",
    purpose: str | None = None,
) -> Rendered:
    """The evidence checklist; ``purpose`` (e.g. court) adds what that step needs besides the evidence."""
    from rightscli.catalog import templates_dir
    from rightscli.letters.checklist import build_checklist_context
    from rightscli.letters.render import render

    ctx = build_checklist_context(assessment, catalog, lang, purpose)
    markdown = render(["checklist.md.j2"], ctx, template_dir, templates_dir())
    title = ctx["labels"]["title"]
    warnings: list[str] = []
    return Rendered(markdown, convert(markdown, fmt, title, warnings, lang), title, warnings)
