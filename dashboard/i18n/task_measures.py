"""Labels of the work queues' measures (任务中心 → 管理指标): SLA, ageing, cure and roll-forward by
step, rectification on time. Definitions: docs/tasks.md, "Measures"."""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

TASK_MEASURES: dict[str, dict[str, str]] = zh_en(
    {
        "tm.tab": ("管理指标", "Measures"),
        "tm.switch_help": (
            "时效达成、账龄、各步骤治愈率与恶化率、整改按期关闭率",
            "SLA adherence, ageing, cure and roll-forward by step, rectification on time",
        ),
        "tm.intro": (
            "各部门、各处置步骤的时效达成、未办结任务的账龄、各步骤的逾期治愈率与恶化率、整改按期关闭率。"
            "打开各表下的「明细」即可查看每个数字背后的任务或合同；"
            "口径见 docs/tasks.md「Measures」。",
            "SLA adherence by department and strategy step, ageing of open tasks, cure and "
            "roll-forward by step, rectification items closed on time. Switch on “Behind the "
            "figure” under a table for the tasks or contracts behind each figure; definitions in "
            "docs/tasks.md, “Measures”.",
        ),
        "tm.refused": (
            "管理指标面向管理层、风险管理委员会和管理员；其他用户须已设置所属部门，仅看本部门。",
            "The measures serve executives, the risk committee and admins; anyone else needs a "
            "department and sees that department only.",
        ),
        "tm.own_department": ("仅显示本部门：{department}", "Your department only: {department}"),
        "tm.unavailable": (
            "暂时无法读取任务库（{error}）。",
            "The task store cannot be read ({error}).",
        ),
        "tm.month": ("到期月份", "Month due"),
        "tm.by": ("分组", "Group by"),
        "tm.by.department": ("部门", "Department"),
        "tm.by.step": ("处置步骤", "Step"),
        "tm.today": (
            "以 {today}（{zone}）为准：到期日早于今天的任务才计入；今天到期的尚未计入。",
            "Judged on {today} ({zone}): a task counts once its due date is over; one due "
            "today does not count yet.",
        ),
        "tm.sla": ("时效达成率（SLA）", "SLA adherence"),
        "tm.sla_help": (
            "到期任务 = 到期日在所选月份且已过、且未在到期日前因触发结束/取消/被替代而关闭；"
            "按时完成 = 于到期日当天或之前办结（完成）。达成率 = 按时完成 ÷ 到期任务。",
            "Came due = due in the month, the due date over, and not closed otherwise (trigger "
            "ended, cancelled, superseded) by then; met = closed done on or before the due date. "
            "Adherence = met ÷ came due.",
        ),
        "tm.ageing": ("未办结任务账龄", "Ageing of open tasks"),
        "tm.ageing_measure": ("账龄口径", "Age measured as"),
        "tm.ageing.past_due": ("超过到期日的工作日数", "Working days past due"),
        "tm.ageing.open": ("已开立的工作日数", "Working days open"),
        "tm.ageing_help": (
            "工作日为周一至周五（不含节假日）。超期天数 = 到期日之后至今天的工作日数；"
            "开立天数 = 创建日之后至今天的工作日数。",
            "Working days are Monday to Friday (holidays are not known). Past due = working days "
            "after the due date up to today; open = working days after the day it was made.",
        ),
        "tm.steps": ("各步骤效果：治愈率与恶化率", "Which step works: cure and roll-forward"),
        "tm.steps_help": (
            "月末 m 处于某步骤（按现行策略 v{version} 的逾期档位、产品与敞口判定）的存续合同，"
            "到 m+1 月末：逾期天数为 0 = 治愈；落入更差的逾期段（M0…M7+）或核销 = 恶化；"
            "其余 = 持平。"
            "统计 {first} 至 {last} 的月末。",
            "Contracts open and in a step at month-end m (by the DPD band, product and exposure of "
            "the strategy in force, v{version}); at m + 1: DPD 0 = cured; a worse DPD bucket "
            "(M0…M7+) or written off = rolled forward; otherwise stayed. Month-ends {first} to "
            "{last}.",
        ),
        "tm.months": ("观察月数", "Months observed"),
        "tm.rect": ("整改按期关闭率", "Rectification items closed on time"),
        "tm.rect_help": (
            "整改期限在所选月份且已过的整改事项；按期 = 于期限当天或之前经第二人签核关闭。",
            "Items whose deadline fell in the month and is over; on time = signed off by a second "
            "person on or before the deadline.",
        ),
        "tm.drill": ("明细", "Behind the figure"),
        "tm.drill_group": ("查看", "Show"),
        "tm.drill_all": ("全部", "All"),
        "tm.drill_which": ("范围", "Which"),
        "tm.which.all": ("全部", "All"),
        "tm.which.met": ("按时", "Met"),
        "tm.which.missed": ("未按时", "Missed"),
        "tm.listed": (
            "共 {total} 条，显示 {shown} 条；下载包含显示的全部行。",
            "{total} {total:row|rows}, {shown} shown; the download holds every row shown.",
        ),
        "tm.none": ("没有任务。", "No tasks."),
        "tm.all": ("合计", "Total"),
        "tm.bucket.0": ("未超期", "Not past due"),
        "tm.bucket_days": ("{range} 个工作日", "{range} working days"),
        "tm.outcome.cured": ("治愈", "Cured"),
        "tm.outcome.rolled": ("恶化", "Rolled forward"),
        "tm.outcome.stayed": ("持平", "Stayed"),
        "tm.col.department": ("部门", "Department"),
        "tm.col.step": ("处置步骤", "Step"),
        "tm.col.came_due": ("到期任务", "Came due"),
        "tm.col.met": ("按时完成", "Met"),
        "tm.col.missed": ("未按时", "Missed"),
        "tm.col.adherence": ("达成率", "Adherence"),
        "tm.col.total": ("合计", "Total"),
        "tm.col.contract_months": ("合同·月", "Contract-months"),
        "tm.col.cured": ("治愈", "Cured"),
        "tm.col.rolled": ("恶化", "Rolled forward"),
        "tm.col.stayed": ("持平", "Stayed"),
        "tm.col.cure_rate": ("治愈率", "Cure rate"),
        "tm.col.roll_rate": ("恶化率", "Roll-forward rate"),
        "tm.col.on_time": ("按期关闭", "On time"),
        "tm.col.late": ("逾期或未关闭", "Late or open"),
        "tm.col.share": ("按期率", "On-time share"),
        "tm.col.task_id": ("任务号", "Task"),
        "tm.col.kind": ("类型", "Kind"),
        "tm.col.assignee": ("处理人", "Assignee"),
        "tm.col.contract_id": ("合同号", "Contract"),
        "tm.col.branch": ("分支机构", "Branch"),
        "tm.col.priority": ("优先级", "Priority"),
        "tm.col.created_at": ("创建时间（{zone}）", "Created ({zone})"),
        "tm.col.due_date": ("到期日", "Due"),
        "tm.col.status": ("状态", "Status"),
        "tm.col.closed_at": ("关闭时间（{zone}）", "Closed ({zone})"),
        "tm.col.close_reason": ("关闭原因", "Closed because"),
        "tm.col.bucket": ("账龄段", "Age bucket"),
        "tm.col.in_time": ("按时", "In time"),
        "tm.col.month_end": ("月末 m", "Month-end m"),
        "tm.col.dpd": ("m 逾期天数", "DPD at m"),
        "tm.col.dpd_bucket": ("m 逾期段", "Bucket at m"),
        "tm.col.next_dpd": ("m+1 逾期天数", "DPD at m + 1"),
        "tm.col.next_bucket": ("m+1 逾期段", "Bucket at m + 1"),
        "tm.col.outcome": ("结果", "Outcome"),
        "tm.col.item_id": ("事项号", "Item"),
        "tm.col.source": ("来源", "Source"),
        "tm.col.title": ("事项", "Finding"),
        "tm.col.owner": ("责任人", "Owner"),
        "tm.col.deadline": ("整改期限", "Deadline"),
        "tm.yes": ("是", "Yes"),
        "tm.no": ("否", "No"),
        "tm.status.open": ("待处理", "Open"),
        "tm.status.in_progress": ("处理中", "In progress"),
        "tm.status.overdue": ("已超期", "Overdue"),
        "tm.status.done": ("已完成", "Done"),
        "tm.status.cancelled": ("已取消", "Cancelled"),
        "tm.status.submitted": ("待签核", "Awaiting sign-off"),
        "tm.status.closed": ("已关闭", "Closed"),
        "tm.reason.done": ("已完成", "Done"),
        "tm.reason.trigger_ended": ("触发已结束", "Trigger ended"),
        "tm.reason.cancelled": ("已取消", "Cancelled"),
        "tm.reason.superseded": ("被后续步骤替代", "Superseded"),
    }
)
