"""One call to render a letter or a checklist in any format, with the warnings for the buyer: for `rights letter`,
`rights checklist` and any other command that writes letters (e.g. a batch run)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import msgspec
from msgspec import field

from rightscli.assessment import Assessment
from rightscli.catalog import Catalog, templates_dir
from rightscli.errors import UserError
from rightscli.i18n import tr

FORMATS = ("md", "txt", "html", "docx", "pdf")
PLACEHOLDER_RE = re.compile(r"【待补充：([^】]*)】")


class Rendered(msgspec.Struct):
    markdown: str
    data: str | bytes  # in the requested format
    title: str
    warnings: list[str] = field(default_factory=list)
    notes: str = ""  # what the buyer must know before filing or posting: never part of the document
    # The same warnings as data, for a command to say each once: the gaps to fill in (label, the case path that
    # fills it or None), the letter's own notes, the evidence still to collect.
    gaps: list[tuple[str, str | None]] = field(default_factory=list)
    letter_notes: list[str] = field(default_factory=list)
    missing_evidence: list[str] = field(default_factory=list)


def convert(markdown: str, fmt: str, title: str, warnings: list[str] | None = None, lang: str = "zh") -> str | bytes:
    """Markdown → the format asked for; markdown-it, python-docx and reportlab are imported only when needed.
    ``warnings`` receives what the buyer should check (characters the PDF's font lacks)."""
    if fmt == "md":
        return markdown
    if fmt == "pdf":
        from rightscli.letters.pdf import to_pdf

        data, missing = to_pdf(markdown, title=title)
        if missing and warnings is not None:
            warnings.append(tr("letter.pdf_fallback", lang, value="、".join(missing)))
        return data
    from rightscli.letters import convert as conv

    if fmt == "txt":
        return conv.to_text(markdown)
    if fmt == "html":
        return conv.to_html(markdown)
    from rightscli.letters.docx_writer import to_docx

    return to_docx(markdown, title=title)


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
    from rightscli.letters.compiled import render
    from rightscli.letters.context import build_letter_context

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
    if template_dir is not None:
        folders = [template_dir, templates_dir() / "letters", templates_dir()]
        has_notes = any((folder / n).is_file() for folder in folders for n in note_names)
    else:
        has_notes = _bundled_notes(note_names[0])
    if has_notes:
        notes = render(note_names, ctx.values, template_dir, templates_dir()).strip()
    title = str(ctx.values["title"])
    warnings = list(assessment.warnings)
    letter_notes: list[str] = []
    for item in ctx.notes:
        key, _, value = item.partition(":")
        letter_notes.append(tr("letter." + key, lang, value=value))
    warnings += letter_notes
    gaps: list[tuple[str, str | None]] = []
    for label in dict.fromkeys(PLACEHOLDER_RE.findall(markdown)):
        path = ctx.hints.get(label)
        gaps.append((label, path))
        hint = tr("letter.hint_field", lang, path=path) if path else tr("letter.hint_hand", lang)
        warnings.append(tr("letter.placeholder", lang, label=label, hint=hint))
    missing = list(ctx.values["missing_evidence"])
    if missing:
        warnings.append(tr("letter.missing_evidence", lang, n=len(missing), items="、".join(missing)))
    before = len(warnings)
    data = convert(markdown, fmt, title, warnings, lang)  # may add what the PDF's font lacks
    letter_notes += warnings[before:]
    return Rendered(markdown, data, title, warnings, notes, gaps, letter_notes, missing)


@functools.cache
def _bundled_notes(name: str) -> bool:
    """Whether the bundled templates have notes for a letter (package data: looked up once a process)."""
    return (templates_dir() / name).is_file()


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
    from rightscli.letters.compiled import render

    ctx = build_checklist_context(assessment, catalog, lang, purpose)
    markdown = render(["checklist.md.j2"], ctx, template_dir, templates_dir())
    title = ctx["labels"]["title"]
    warnings: list[str] = []
    return Rendered(markdown, convert(markdown, fmt, title, warnings, lang), title, warnings)
