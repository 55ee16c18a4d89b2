"""Catalogue entries of the context line above the figures: the month shown and the filters in
force, the same words on the screen and in a download's header block (merged into
`dashboard.i18n.catalogue.CATALOGUE`)."""

from __future__ import annotations

CONTEXT: dict[str, dict[str, str]] = {
    "ctx.banner": {
        "zh": "数据截至 **{month}** · 最新数据 {latest} · 加载时间 {loaded} · 加载编号 #{load_id}",
        "en": "Data as of **{month}** · latest data {latest} · loaded {loaded} · load #{load_id}",
    },
    "ctx.banner_latest": {
        "zh": "数据截至 **{month}**（最新） · 加载时间 {loaded} · 加载编号 #{load_id}",
        "en": "Data as of **{month}** (latest) · loaded {loaded} · load #{load_id}",
    },
    "ctx.filters": {"zh": "筛选条件：{filters}", "en": "Filters: {filters}"},
    "ctx.none": {"zh": "全部（未筛选）", "en": "All (no filter)"},
    "ctx.cohorts": {"zh": "起租批次", "en": "Cohorts"},
    "ctx.from": {"zh": "{month} 起", "en": "from {month}"},
    "ctx.to": {"zh": "至 {month}", "en": "to {month}"},
    "ctx.between": {"zh": "{start} 至 {end}", "en": "{start} to {end}"},
    "ctx.join": {"zh": "、", "en": ", "},
    "ctx.sep": {"zh": "；", "en": "; "},
    "ctx.pair": {"zh": "{name}：{values}", "en": "{name}: {values}"},
    "ov.amount_note": {
        "zh": "金额 1 亿元及以上以亿元显示，以下以万元显示，变动与数值同单位；比率为百分比；"
        "“—” 表示分母为零或无数据。",
        "en": "Amounts in yuan: “× 100m” from 100 million up, else “× 10k”; a change is in the "
        "unit of its figure; rates in percent; “—” means no data or a zero denominator.",
    },
}
