"""Interface sentences in Chinese and English, looked up by key (``msg("deadline_passed", "zh", days=3)``)."""

from __future__ import annotations

from typing import Any

from rightscli.bilingual import pick

MESSAGES: dict[str, dict[str, str]] = {
    "deadline_open": {
        "zh": "{label}：{deadline}（还剩 {days} 天）。",
        "en": "{label}: {deadline} ({days} days left).",
    },
    "deadline_today": {"zh": "{label}：{deadline}（就是今天）。", "en": "{label}: {deadline} (today)."},
    "deadline_passed": {
        "zh": "{label}：{deadline}，已过 {days} 天。",
        "en": "{label}: {deadline}, passed {days} days ago.",
    },
    "deadline_met": {
        "zh": "您已于 {met_on} 主张权利，在期限（{deadline}）之内。",
        "en": "You asserted this right on {met_on}, within the deadline ({deadline}).",
    },
    "excluded": {"zh": "不适用：{reason}", "en": "Excluded: {reason}"},
    "missing": {
        "zh": "无法完全判断，缺少：{facts}。",
        "en": "Could not be fully decided; missing: {facts}.",
    },
    "assumed": {"zh": "本结论假定：{assumption}", "en": "This assumes: {assumption}"},
    "open_point": {"zh": "可能适用：{reason}", "en": "May apply: {reason}"},
    "stage": {"zh": "当前阶段：{label}。", "en": "Current stage: {label}."},
    "stage_late": {
        "zh": "问题出现在该阶段内，但该阶段已于 {deadline} 结束：请尽快向商家主张并保留证据。",
        "en": "The problem arose in this stage, which ended on {deadline}: "
        "raise it with the seller now and keep proof.",
    },
    "warn_confidence": {
        "zh": "{policy}（{title}）的依据为{level}来源，需核实：{uncertainty}",
        "en": "{policy} ({title}) rests on a {level} source and needs checking: {uncertainty}",
    },
    "warn_exclusion_confidence": {
        "zh": "{policy} 的排除情形“{exclusion}”依据为{level}来源或本工具的解读，需核实；如有异议仍可向商家主张。",
        "en": "{policy}: the exclusion '{exclusion}' rests on a {level} source or this tool's reading and needs "
        "checking; you may still press the claim.",
    },
    "level_secondary": {"zh": "二手", "en": "secondary"},
    "level_unconfirmed": {"zh": "未经证实的", "en": "unconfirmed"},
    "warn_calendar": {
        "zh": "{policy}：{year} 年的法定节假日安排尚未收录，期限按仅跳过周末计算，请以国务院公布的安排为准。",
        "en": "{policy}: the official holiday calendar for {year} is not known yet; the deadline skips weekends only. "
        "Check the State Council's holiday schedule.",
    },
    "warn_calendar_last_day": {
        "zh": "{policy}：{year} 年的法定节假日安排尚未收录，无法确认最后一天 {deadline} 是否为法定节假日；"
        "如是，期限顺延至其后第一个工作日。",
        "en": "{policy}: the official holiday calendar for {year} is not known yet, so whether the last day {deadline} "
        "is a public holiday cannot be checked; if it is, the deadline moves to the next working day.",
    },
    "warn_holiday_uncertain": {
        "zh": "{policy}：期限最后一天 {deadline} 是休息日；是否顺延至 {moved} 法律未明确规定，"
        "稳妥起见请在 {deadline} 前行动。",
        "en": "{policy}: the last day {deadline} is a rest day; whether it moves to {moved} is not settled, "
        "so act by {deadline} to be safe.",
    },
    "warn_not_in_force": {
        "zh": "{policy}：该规则在 {day} 尚未生效或已失效，未予适用。",
        "en": "{policy}: the rule was not in force on {day} and was not applied.",
    },
    "warn_no_findings": {
        "zh": "没有找到与本案相关的规则；请检查问题类型（problem.kinds）与品类（order.category）。",
        "en": "No rule matched this case; check problem.kinds and order.category.",
    },
    "step_escalation": {"zh": "{title}：{action}", "en": "{title}: {action}"},
}


def msg(key: str, lang: str, **values: Any) -> str:
    return pick(MESSAGES[key], lang, **values)
