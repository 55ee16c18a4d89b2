"""Labels of the task strategy editor (任务策略)."""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

TASK_STRATEGY: dict[str, dict[str, str]] = zh_en(
    {
        "page.task_strategy": ("任务策略", "Task strategy"),
        "ts.intro": (
            "每次加载或重建后，系统按此策略为逾期合同和预警生成任务："
            "按逾期天数段、产品（* 为任意产品）和敞口下限确定下一步动作、负责部门和时限（工作日）。"
            "同一产品和敞口下限的逾期天数段须从 1 天起连续覆盖、互不重叠，最后一段不填上限。"
            "保存即生成新版本，下次同步起生效；已生成任务的到期日不变。",
            "After every load or build the sync makes tasks from this strategy: per DPD band, "
            "product (* = any) and minimum exposure, the next step, its department and its SLA in "
            "working days. For each product and exposure floor the bands must run from DPD 1 "
            "with no gap or overlap, the last one open-ended. Saving makes a new version, used "
            "from the next sync; tasks already made keep their due dates.",
        ),
        "ts.in_force": (
            "当前生效：第 {version} 版，{who} 于 {when} 保存。",
            "In force: version {version}, saved by {who} at {when}.",
        ),
        "ts.in_force_settings": (
            "当前生效：第 0 版（postloan.toml 的 [tasks] 默认策略），尚无人在门户中保存过新版本。",
            "In force: version 0 (the [tasks] defaults of postloan.toml); nobody has saved a "
            "version in the portal yet.",
        ),
        "ts.bands": ("逾期天数段", "DPD bands"),
        "ts.triggers": ("逾期以外的触发条件", "Triggers beyond DPD"),
        "ts.triggers_help": (
            "删除某一触发条件的行，则该类预警不再生成任务（已有任务在下次同步时关闭）。",
            "Delete a trigger's row and that warning makes no more tasks (its open tasks close "
            "at the next sync).",
        ),
        "ts.note": ("版本说明（必填以便审计追溯）", "Note for this version (for the audit trail)"),
        "ts.save": ("保存为新版本", "Save as a new version"),
        "ts.saved": (
            "已保存第 {version} 版，下次同步起生效。",
            "Version {version} saved; the next sync uses it.",
        ),
        "ts.refused": (
            "策略未保存（未写入任何内容），请修改后重试：{why}",
            "The strategy was not saved (nothing was written); correct it and try again: {why}",
        ),
        "ts.note_required": ("请填写版本说明。", "Please write a note for this version."),
        "ts.history": ("版本历史", "Version history"),
        "ts.no_history": ("尚无保存的版本。", "No version has been saved yet."),
        "ts.col.dpd_from": ("逾期天数起", "DPD from"),
        "ts.col.dpd_to": ("逾期天数止（空=无上限）", "DPD to (blank = no end)"),
        "ts.col.product": ("产品", "Product"),
        "ts.any_product": ("全部产品", "Any product"),
        "ts.col.min_exposure": ("敞口下限（元）", "Minimum exposure (yuan)"),
        "ts.col.step": ("动作", "Step"),
        "ts.col.sla_days": ("时限（工作日）", "SLA (working days)"),
        "ts.col.priority": ("优先级（1 最高）", "Priority (1 highest)"),
        "ts.col.trigger": ("触发条件", "Trigger"),
        "ts.col.version": ("版本", "Version"),
        "ts.col.saved_by": ("保存人", "Saved by"),
        "ts.col.saved_at": ("保存时间", "Saved at"),
        "ts.col.note": ("说明", "Note"),
    }
)
