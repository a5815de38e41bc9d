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
    # beyond the pinned set
    "seller_cancelled",  # a paid order cancelled by the seller (砍单)
    "auto_renewal",  # renewed and charged without the required reminder
    "price_discrimination",  # a different price for the same goods, unknown to the buyer (大数据杀熟)
    "missing_gift",  # a promised gift (赠品) not delivered
    "out_of_stock",  # the seller says it has no stock or asks for more money (缺货)
    "fake_shipment",  # a tracking number with no real movement (虚假发货)
    "wrong_item",  # goods entirely different from the order, an empty parcel or something worthless (pinned, round 2)
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
    # beyond the pinned set: the return and complaint timeline
    "return_requested",
    "return_shipped",
    "seller_received_return",
    "refund_received",
    "regulator_accepted",
    "regulator_declined",
    "mediation_ended",
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
# tested: opened and switched on, activated or tried only as far as needed to check quality and function (pinned).
ITEM_CONDITIONS = ("unused", "opened", "tested", "used", "damaged")
# Who took delivery (order.signed_by): the buyer, a person or place the buyer chose, or someone never authorised.
SIGNED_BY = ("buyer", "designated", "unauthorised")
RECIPIENTS = ("merchant", "platform", "association", "regulator", "regulator-report", "court", "public")
# Who a step of the ladder goes to. The pinned `next_steps[].to` values are the first five; `public` (an optional
# public complaint) is reported apart, under `optional_steps`, so scripts reading next_steps see only pinned values.
STEP_TARGETS = ("merchant", "platform", "association", "regulator", "court", "public")
NEXT_STEP_TARGETS = STEP_TARGETS[:5]

# Service promises a listing may show (optional case field listing.badges).
BADGES = (
    "seven_day_return",  # 七天无理由退货
    "no_seven_day_return",  # 不支持七天无理由 (shown and confirmed at checkout)
    "freight_insurance",  # 运费险 / 退货宝 / 退货包运费
    "genuine_guarantee",  # 正品保障 / 正品险
    "fake_pays_four",  # 假一赔四
    "fake_pays_ten",  # 假一赔十 (拼多多)
    "fake_pays_three",  # 假一赔三
    "damage_compensation",  # 破损包赔
    "damage_return",  # 破损包退
    "bad_item_return",  # 坏单包退 / 坏果包赔
    "full_weight",  # 足斤足两
    "fast_refund",  # 极速退款
    "price_protection",  # 价保
    "ship_within_48h",  # 48小时发货
)
