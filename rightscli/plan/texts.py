"""Sentences of the plan views and of the timeline steps, in Chinese and English."""

from __future__ import annotations

from typing import Any

from rightscli.bilingual import pick

TEXTS: dict[str, dict[str, str]] = {
    "what_now": {"zh": "现在做什么", "en": "What now"},
    "today": {"zh": "今天要做", "en": "Today"},
    "nothing_today": {
        "zh": "今天无需行动：等待对方处理。",
        "en": "Nothing to do today: the other side has time to act.",
    },
    "nothing_at_all": {
        "zh": "没有待办事项，也没有在等待的期限。",
        "en": "Nothing to do and nothing being waited for.",
    },
    "nearest_deadline": {"zh": "最近的期限", "en": "Nearest deadline"},
    "waiting_for": {"zh": "正在等待", "en": "Waiting for"},
    "overdue": {"zh": "已逾期", "en": "Overdue"},
    "after": {"zh": "之后", "en": "After that"},
    "basis": {"zh": "依据", "en": "Basis"},
    "until": {"zh": "至", "en": "until"},
    "days_left": {"zh": "还剩 {days} 天", "en": "{days} days left"},
    "today_is_last": {"zh": "就是今天", "en": "today"},
    "days_ago": {"zh": "已过 {days} 天", "en": "{days} days ago"},
    "extended": {"zh": "可能延长至 {day}", "en": "may be extended to {day}"},
    "from_day": {"zh": "自 {day} 起", "en": "from {day}"},
    "if_fails": {"zh": "若仍未解决", "en": "if that does not settle it"},
    "why_wait_passed": {
        "zh": "{label}：已于 {day} 届满",
        "en": "{label}: ended on {day}",
    },
    "why_if_not_by": {"zh": "{label}：到 {day} 仍未办理时", "en": "{label}: if nothing happened by {day}"},
    "restarted_short": {"zh": "（自 {day} 的 {event} 起重新计算）", "en": " (restarted by {event} on {day})"},
    "why_parallel": {"zh": "可选，可与其他途径同时进行", "en": "optional, alongside the other steps"},
    "why_deadline": {"zh": "{label}：最后一天 {day}", "en": "{label}: last day {day}"},
    "why_escalation": {"zh": "维权路径的下一步", "en": "the next rung of the escalation ladder"},
    "why_evidence": {"zh": "证据须在 {day} 前收集", "en": "collect the evidence by {day}"},
    "collect": {"zh": "收集证据：{label}", "en": "Collect evidence: {label}"},
    "act_on_finding": {"zh": "{title}：{label}", "en": "{title}: {label}"},
    "restarted": {
        "zh": "自 {day} 的 {event} 起重新计算",
        "en": "restarted by {event} on {day}",
    },
    "interpretation": {"zh": "（解释性观点：{text}）", "en": " (interpretation: {text})"},
    "wait_passed_step": {"zh": "{label}（{day} 届满）：{action}", "en": "{label} (ended {day}): {action}"},
    "warn_calendar": {
        "zh": "{label}：{year} 年的法定节假日安排尚未收录，工作日按仅跳过周末计算（{day}），"
        "实际期限可能更晚，请以国务院公布的安排为准。",
        "en": "{label}: the official holiday calendar for {year} is not known yet; working days skip weekends only "
        "({day}), so the real end may be later. Check the State Council's holiday schedule.",
    },
    "warn_missed": {
        "zh": "{label}：最后一天 {day} 已过。",
        "en": "{label}: the last day, {day}, has passed.",
    },
    "warn_wait_confidence": {
        "zh": "{label}：依据为{level}来源，需核实：{uncertainty}",
        "en": "{label} rests on a {level} source and needs checking: {uncertainty}",
    },
    "level_secondary": {"zh": "二手", "en": "secondary"},
    "level_unconfirmed": {"zh": "未经证实的", "en": "unconfirmed"},
    # status
    "status_title": {"zh": "案件一览（按紧急程度排序）", "en": "Cases (most urgent first)"},
    "file": {"zh": "文件", "en": "File"},
    "case": {"zh": "案件", "en": "Case"},
    "date": {"zh": "日期", "en": "Date"},
    "days": {"zh": "剩余", "en": "Days"},
    "next": {"zh": "下一步", "en": "Next"},
    "invalid": {"zh": "无法读取的案件文件", "en": "Case files that could not be read"},
    "error": {"zh": "错误", "en": "Error"},
    "no_cases": {
        "zh": "{folder} 中没有案件文件（*.yaml、*.yml、*.json）。",
        "en": "No case files (*.yaml, *.yml, *.json) in {folder}.",
    },
    "waiting_row": {"zh": "等待：{label}，至 {day}", "en": "waiting: {label}, until {day}"},
}


def text(key: str, lang: str, **values: Any) -> str:
    return pick(TEXTS[key], lang, **values)
