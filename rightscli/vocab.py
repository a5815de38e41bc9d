"""The pinned vocabularies of the case file (shared/contract.md). Labels live in the data files."""

from __future__ import annotations

PLATFORMS = ("tmall", "taobao", "jd", "pinduoduo", "douyin", "other")
PROBLEM_KINDS = (
    "changed_mind",
    "quality_defect",
    "not_as_described",
    "counterfeit",
    "damaged_in_transit",
    "not_delivered",
    "late_shipment",
    "unsafe_food",
    "false_advertising",
    "price_fraud",
    "refused_invoice",
)
CATEGORIES = (
    "clothing",
    "shoes_bags",
    "cosmetics",
    "food",
    "fresh_food",
    "electronics",
    "home_appliance",
    "digital_content",
    "newspapers_periodicals",
    "jewelry",
    "furniture",
    "motor_vehicle",
    "medicine_health",
    "underwear_hygiene",
    "virtual_goods",
    "other",
)
EVIDENCE_IDS = (
    "order_record",
    "payment_record",
    "chat_log",
    "product_page",
    "photos",
    "unboxing_video",
    "logistics_record",
    "quality_report",
    "authenticity_proof",
    "invoice",
    "merchant_refusal",
    "label_photo",
    "medical_records",
    "price_history",
    "return_shipping_record",
)
EVENTS = (
    "contacted_merchant",
    "merchant_refused",
    "merchant_no_reply",
    "platform_intervention_requested",
    "platform_decided",
    "complaint_association",
    "complaint_regulator",
    "report_regulator",
)
WANTS = (
    "return_refund",
    "refund_only",
    "exchange",
    "repair",
    "punitive_damages",
    "compensation",
    "reship",
    "price_difference",
    "invoice",
)
ITEM_CONDITIONS = ("unused", "opened", "used", "damaged")
RECIPIENTS = ("merchant", "platform", "association", "regulator", "regulator-report")
STEP_TARGETS = ("merchant", "platform", "association", "regulator", "court")
