"""The evidence index (证据目录) of letters, the pleading, the checklist and the bundle: one row per item of evidence
the buyer holds, with the columns courts use (序号, 证据名称, 证据形式, 证据来源, 证明目的, 页码/份数,
原件/复印件) and the files recorded for it (``rights evidence add``), numbered 1-1, 1-2 … as the bundle names them.

The words come from data: 证据形式, 证明目的, 原件/复印件 and the capture advice from the evidence catalogue
(``policies/evidence.yaml``, ``filing``), 证据来源 from ``templates/letters/recipients.yaml``
(``evidence_sources``). The 证明目的 adds the findings each item supports, in the letter's voice. No law is decided
here.

Not labelled as an official form: there is no standalone official evidence-list form (filing-facts §5.1).
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from rightscli import vocab
from rightscli.assessment import Assessment
from rightscli.letters.data import LetterData, phrase
from rightscli.letters.wording import in_voice, placeholder

SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def suffix(path: str) -> str:
    """The file's extension for a copy's name in the bundle, if it is a plain one (.png, .mp4, .pdf), else none."""
    ext = PurePath(path).suffix.lower()
    return ext if SAFE_SUFFIX.match(ext) else ""


def evidence_index(
    assessment: Assessment, data: LetterData, names: dict[str, str], *, voice: str = "本人", lang: str = "zh"
) -> list[dict[str, Any]]:
    """The rows of the index. ``names``: platform, buyer and seller as the document names them; ``voice``: how it
    names the buyer in a finding's title (原告 in a pleading)."""
    case = assessment.case
    from rightscli.catalog import bundled_evidence

    catalogue = bundled_evidence()
    needs = {e.id: e for e in assessment.evidence}
    # Each established finding's title in the letter's voice, worked out once (an item cites a few of them).
    titled = {f.policy.id: in_voice(f.policy.title.get(lang), voice) for f in assessment.established()}
    held = [eid for eid in vocab.EVIDENCE_IDS if eid in case.evidence or (eid in needs and needs[eid].held)]
    held += [eid for eid in case.evidence if eid not in held]
    rows = []
    for no, eid in enumerate(held, start=1):
        item = catalogue.get(eid)
        filing = item.filing if item else None
        label = item.label.get(lang) if item else eid
        need = needs.get(eid)
        titles = list(dict.fromkeys(titled[pid] for pid in (need.needed_for if need else ()) if pid in titled))
        proves = phrase(filing.proves.get(lang), **names) if filing else placeholder("证明目的")
        files = [
            {
                "no": f"{no}-{j}",
                "path": r.path,
                "sha256": r.sha256,
                "size": r.size,
                "recorded_at": r.recorded_at,
                "note": r.note or "",
                "name": f"{no}-{j}{suffix(r.path)}",
            }
            for j, r in enumerate((r for r in case.evidence_files if r.id == eid), start=1)
        ]
        sources = data.evidence_sources
        rows.append(
            {
                "no": no,
                "id": eid,
                "label": label,
                "form": filing.form.get(lang) if filing else placeholder("证据形式"),
                "source": phrase(sources[eid], **names) if eid in sources else placeholder("证据来源"),
                "proves": proves,
                "purpose": proves + (f"（涉及：{'；'.join(titles)}）" if titles and lang == "zh" else ""),
                "findings": titles,
                "copies": f"{len(files)}份" if files and lang == "zh" else (str(len(files)) if files else ""),
                "original": phrase(filing.original.get(lang), **names) if filing else "",
                "capture": filing.capture.get(lang) if filing else "",
                "files": files,
            }
        )
    return rows
