"""Short interface labels for the terminal views (zh / en)."""

from __future__ import annotations

from rightscli.bilingual import pick

LABELS: dict[str, dict[str, str]] = {
    "applies": {"zh": "适用", "en": "applies"},
    "expired": {"zh": "已过期", "en": "expired"},
    "excluded": {"zh": "不适用", "en": "excluded"},
    "may_apply": {"zh": "可能适用", "en": "may apply"},
    "findings": {"zh": "适用的规则", "en": "Findings"},
    "policy": {"zh": "规则", "en": "Rule"},
    "status": {"zh": "状态", "en": "Status"},
    "deadline": {"zh": "期限", "en": "Deadline"},
    "days_left": {"zh": "剩余天数", "en": "Days left"},
    "amount": {"zh": "金额", "en": "Amount"},
    "remedies": {"zh": "可主张", "en": "Remedies"},
    "basis": {"zh": "依据", "en": "Basis"},
    "evidence": {"zh": "证据", "en": "Evidence"},
    "held": {"zh": "已有", "en": "held"},
    "to_collect": {"zh": "待收集", "en": "to collect"},
    "for": {"zh": "用于", "en": "For"},
    "collect_by": {"zh": "最迟", "en": "By"},
    "next_steps": {"zh": "下一步", "en": "Next steps"},
    "to": {"zh": "对象", "en": "To"},
    "by": {"zh": "截止", "en": "By"},
    "action": {"zh": "做什么", "en": "What to do"},
    "warnings": {"zh": "注意", "en": "Warnings"},
    "missing": {"zh": "缺少信息", "en": "Missing facts"},
    "case": {"zh": "案件", "en": "Case"},
    "as_of": {"zh": "计算日", "en": "As of"},
    "draft": {
        "zh": "本结果由规则数据自动生成，仅供参考，不构成法律意见；请核对所引条文与期限。",
        "en": "Generated from rule data for reference only; not legal advice. Check the cited articles and dates.",
    },
    "merchant": {"zh": "商家", "en": "seller"},
    "platform": {"zh": "平台", "en": "platform"},
    "association": {"zh": "消费者协会", "en": "consumer association"},
    "regulator": {"zh": "市场监管部门", "en": "market regulator"},
    "court": {"zh": "法院", "en": "court"},
    "id": {"zh": "编号", "en": "ID"},
    "title": {"zh": "名称", "en": "Title"},
    "jurisdiction": {"zh": "适用范围", "en": "Scope"},
    "confidence": {"zh": "可信度", "en": "Confidence"},
    "reviewed": {"zh": "复核日期", "en": "Reviewed"},
    "verified": {"zh": "已核实", "en": "verified"},
    "secondary": {"zh": "二手来源", "en": "secondary"},
    "unconfirmed": {"zh": "未证实", "en": "unconfirmed"},
    "none": {"zh": "无", "en": "none"},
}


def label(key: str, lang: str) -> str:
    entry = LABELS.get(key)
    return key if entry is None else pick(entry, lang)
