"""Labels of 任务中心 (the task centre), the dossier's tasks tab and the task e-mails."""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

_KINDS = {
    "collections": ("催收", "Collections"),
    "site_inspection": ("现场检查", "Site inspection"),
    "legal_review": ("法律审查", "Legal review"),
    "financial_review": ("财务审查", "Financial review"),
    "signal_review": ("外部信号复核", "Signal review"),
}
_STEPS = {
    "reminder": ("还款提醒", "Reminder"),
    "notice": ("电话及书面催收", "Call and written notice"),
    "visit": ("上门及协商", "Visit and negotiation"),
    "demand": ("正式催告", "Formal demand"),
    "litigation": ("诉讼评估", "Litigation assessment"),
}
_STATUSES = {
    "open": ("待处理", "Open"),
    "in_progress": ("处理中", "In progress"),
    "overdue": ("已逾期", "Overdue"),
    "done": ("已完成", "Done"),
    "cancelled": ("已取消", "Cancelled"),
}
_ACTIONS = {
    "created": ("创建", "Created"),
    "assigned": ("分派", "Assigned"),
    "reassigned": ("改派", "Reassigned"),
    "escalated": ("升级", "Escalated"),
    "started": ("开始处理", "Started"),
    "commented": ("备注", "Comment"),
    "outcome": ("记录结果", "Outcome"),
    "done": ("完成", "Done"),
    "cancelled": ("取消", "Cancelled"),
    "overdue": ("逾期", "Overdue"),
    "closed": ("关闭", "Closed"),
}
_OUTCOMES = {
    "promise_to_pay": ("承诺还款", "Promise to pay"),
    "restructuring_proposed": ("重组方案已提交风委会", "Restructuring sent to the committee"),
    "legal_filing": ("已起诉立案", "Legal filing"),
    "no_contact": ("未联系上", "No contact"),
    "inspected": ("已现场检查", "Inspected"),
    "reviewed": ("已复核", "Reviewed"),
    "other": ("其他", "Other"),
}
_FIELDS = {
    "amount": ("承诺金额（元）", "Amount promised (yuan)"),
    "date": ("承诺还款日", "Promised date"),
    "channel": ("联系方式", "Channel"),
    "party": ("联系对象", "Party contacted"),
    "contacted_at": ("联系时间（{zone}）", "Contact time ({zone})"),
    "terms": ("方案要点", "Terms"),
    "decision_id": ("风委会决议编号（可选）", "Committee decision no. (optional)"),
    "court": ("受理法院", "Court"),
    "case_number": ("案号", "Case number"),
    "filed_on": ("立案日期", "Filed on"),
    "finding": ("检查结论", "Finding"),
    "note": ("说明", "Note"),
    "conclusion": ("复核结论", "Conclusion"),
    "reason": ("原因", "Reason"),
    "comment": ("备注", "Comment"),
    "outcome": ("结果", "Outcome"),
    "kind": ("结果", "Outcome"),
    "from": ("原", "From"),
    "to": ("至", "To"),
    "priority_from": ("原优先级", "Priority was"),
    "priority_to": ("新优先级", "Priority now"),
    "department": ("部门", "Department"),
    "due_date": ("期限", "Due"),
    "step": ("步骤", "Step"),
    "text": ("备注", "Comment"),
    "flags": ("违规标记", "Flags"),
    "priority": ("优先级", "Priority"),
    "escalations": ("升级次数", "Escalations"),
}
_CHOICES = {
    "phone": ("电话", "Phone"),
    "sms": ("短信", "SMS"),
    "visit": ("上门", "Visit"),
    "letter": ("信函", "Letter"),
    "lessee": ("承租人", "Lessee"),
    "guarantor": ("担保人", "Guarantor"),
    "normal": ("正常", "Normal"),
    "misuse": ("违规使用", "Misuse"),
    "damage": ("损坏", "Damage"),
    "pledged": ("被抵质押给第三方", "Pledged to a third party"),
    "missing": ("下落不明", "Missing"),
}
_ERRORS = {
    "branch": (
        "该任务不在您的分支机构范围内，未做任何更改。",
        "That task is outside your branches; nothing was changed.",
    ),
    "department": (
        "该任务属于{department}，不是您所在部门，未做任何更改。",
        "That task belongs to {department}, not your department; nothing was changed.",
    ),
    "no_task": ("未找到该任务。", "No such task."),
    "closed": ("该任务已关闭，不能再操作。", "That task is closed."),
    "stale": (
        "该任务刚被他人更改，请查看最新情况后再操作；您的操作未保存。",
        "Someone changed that task just now; look at it again. Your change was not saved.",
    ),
    "assignee": (
        "该任务已分派给 {assignee}，只有经办人可以操作。",
        "That task is assigned to {assignee}; only they can work it.",
    ),
    "assigned": (
        "该任务已分派，请使用改派。",
        "That task is assigned already; reassign it instead.",
    ),
    "not_assigned": ("该任务没有可替换的经办人。", "That task has no other assignee to replace."),
    "not_member": (
        "{name} 不是该部门的在职成员。",
        "{name} is not an active member of that department.",
    ),
    "not_member_branch": (
        "该人员的分支机构范围不含此任务。",
        "That person's branches do not cover this task.",
    ),
    "top": (
        "已是最高级别（法务部，优先级 1），不能再升级。",
        "Already at the top (Legal, priority 1).",
    ),
    "started": ("该任务已在处理中。", "That task is in progress already."),
    "no_outcome": ("请先记录处理结果，再标记完成。", "Record an outcome before marking it done."),
    "missing": ("请填写「{field}」。", "Fill in “{field}”."),
    "too_long": (
        "「{field}」超过 {n} 个字符。",
        "“{field}” is longer than {n} {n:character|characters}.",
    ),
    "control": ("「{field}」含有控制字符。", "“{field}” holds control characters."),
    "choice": ("「{field}」的取值无效。", "“{field}” has a value that is not allowed."),
    "date": ("「{field}」不是有效的日期或时间。", "“{field}” is not a valid date or time."),
    "future": ("「{field}」不能晚于现在。", "“{field}” cannot be in the future."),
    "amount": (
        "金额须大于 0，最多两位小数。",
        "The amount must be above 0, with at most two decimals.",
    ),
    "promise_date": (
        "承诺还款日须在联系日之后一年以内。",
        "The promised date must fall within a year of the contact.",
    ),
    "decision": (
        "该风委会决议不存在或不属于本合同。",
        "That committee decision does not exist or is not on this contract.",
    ),
    "contact_rules": (
        "该次联系不符合催收合规要求（{flags}），未保存。如联系确已发生，请勾选确认后按违规标记记录。",
        "This contact breaks the collections rules ({flags}) and was not saved. If it did happen, "
        "tick the confirmation to record it flagged.",
    ),
}

TASKS: dict[str, dict[str, str]] = zh_en(
    {
        "page.tasks": ("任务中心", "Tasks"),
        "tk.intro": (
            "逾期合同、预警和检查发现生成的待办任务：每个任务有责任部门、经办人、期限和处理记录。"
            "可在本部门队列中分派、改派和升级任务，记录结构化的处理结果。",
            "Tasks made from overdue contracts, warnings and findings: each has a department, an "
            "assignee, a due date and a history. Assign, reassign and escalate in your "
            "department's queue; record each outcome in a structured way.",
        ),
        "tk.no_department": (
            "您的账户尚未分配部门，因此没有任务队列。请联系管理员在「用户管理」中设置部门。",
            "Your account has no department, so it has no task queue. Ask an administrator to "
            "set one on the Users page.",
        ),
        "tk.unavailable": (
            "暂时无法读取任务（{error}）。请稍后重试。",
            "Tasks cannot be read right now ({error}). Try again later.",
        ),
        "tk.department": ("所在部门：{name}", "Department: {name}"),
        "tk.tab.mine": ("我的任务（{n}）", "My tasks ({n})"),
        "tk.tab.queue": ("部门队列（{n}）", "Department queue ({n})"),
        "tk.tab.overdue": ("逾期任务（{n}）", "Overdue ({n})"),
        "tk.none": ("没有任务。", "No tasks."),
        "tk.click_row": ("点击一行查看任务详情并处理。", "Click a row to open the task."),
        "tk.filter.status": ("状态", "Status"),
        "tk.filter.kind": ("类型", "Kind"),
        "tk.filter.priority": ("优先级", "Priority"),
        "tk.filter.contract": ("合同号包含", "Contract contains"),
        "tk.col.task_id": ("任务号", "Task"),
        "tk.col.contract_id": ("合同号", "Contract"),
        "tk.col.lessee_id": ("承租人编号", "Lessee"),
        "tk.col.branch": ("分支机构", "Branch"),
        "tk.col.kind": ("类型", "Kind"),
        "tk.col.step": ("步骤", "Step"),
        "tk.col.department": ("责任部门", "Department"),
        "tk.col.assignee": ("经办人", "Assignee"),
        "tk.col.priority": ("优先级", "Priority"),
        "tk.col.dpd": ("逾期天数", "DPD"),
        "tk.col.due_date": ("期限", "Due"),
        "tk.col.status": ("状态", "Status"),
        "tk.col.outcome_kind": ("结果", "Outcome"),
        "tk.col.at": ("时间（{zone}）", "Time ({zone})"),
        "tk.col.actor": ("操作人", "By"),
        "tk.col.action": ("操作", "Action"),
        "tk.col.detail": ("内容", "Detail"),
        "tk.queue_label": ("（部门队列）", "(queue)"),
        "tk.title": ("任务 {id} · {kind} · {step}", "Task {id} · {kind} · {step}"),
        "tk.summary": (
            "合同 {contract} · {department} · 经办人 {assignee} · 优先级 {priority} · "
            "期限 {due} · {status}",
            "Contract {contract} · {department} · assignee {assignee} · priority {priority} · "
            "due {due} · {status}",
        ),
        "tk.open_dossier": ("打开合同档案", "Open the dossier"),
        "tk.not_found": ("未找到该任务，或您无权查看。", "No such task, or not yours to see."),
        "tk.history": ("处理记录", "History"),
        "tk.outcome_now": ("最近结果：{kind} {detail}", "Latest outcome: {kind} {detail}"),
        "tk.flagged": ("违规标记：{flags}", "Flagged: {flags}"),
        "tk.read_only": (
            "该任务不属于您所在部门，仅可查看。",
            "This task is not your department's: you may read it only.",
        ),
        "tk.act.assign": ("分派给", "Assign to"),
        "tk.act.reassign": ("改派给", "Reassign to"),
        "tk.act.queue": ("退回部门队列", "Back to the queue"),
        "tk.act.assign_go": ("分派", "Assign"),
        "tk.act.reassign_go": ("改派", "Reassign"),
        "tk.act.escalate": ("升级至 {to}", "Escalate to {to}"),
        "tk.act.escalate_go": ("升级", "Escalate"),
        "tk.act.start": ("开始处理", "Start"),
        "tk.act.comment_go": ("添加备注", "Add comment"),
        "tk.act.outcome": ("记录处理结果", "Record an outcome"),
        "tk.act.outcome_go": ("保存结果", "Save outcome"),
        "tk.act.confirm_breach": (
            "确认该次联系确已发生：按违规标记记录",
            "I confirm this contact happened: record it flagged",
        ),
        "tk.act.done": ("标记完成", "Mark done"),
        "tk.act.cancel_go": ("取消任务", "Cancel task"),
        "tk.saved": ("已保存。", "Saved."),
        "tk.saved_flagged": ("已保存，并按违规标记：{flags}", "Saved, flagged: {flags}"),
        "tk.flag.outside_window": ("联系时间超出允许时段", "outside the contact window"),
        "tk.flag.over_daily_cap": ("超过每日联系次数上限", "above the daily cap"),
        "rk.tab.tasks": ("任务", "Tasks"),
        "tk.dossier.none": ("本合同没有任务。", "This contract has no tasks."),
        "tk.dossier.open": ("在任务中心打开", "Open in Tasks"),
        "tk.mail.assigned": ("分派给您", "Assigned to you"),
        "tk.mail.escalated": ("升级至您的部门", "Escalated to your department"),
        "tk.mail.due_tomorrow": ("明天到期", "Due tomorrow"),
        "tk.mail.overdue": ("已逾期", "Overdue"),
        "tk.mail.line": (
            "任务 {id}：{kind} · {step}，合同 {contract}，{department}，"
            "优先级 {priority}，期限 {due}",
            "Task {id}: {kind} · {step}, contract {contract}, {department}, priority {priority}, "
            "due {due}",
        ),
        "tk.mail.by": ("操作人：{actor}", "By: {actor}"),
        "tk.mail.open": ("打开任务", "Open the task"),
        "tk.mail.digest": ("部门队列待办", "Department queue"),
        "tk.mail.digest_line": (
            "{department}队列中未分派的任务：明天到期 {soon} 个，已逾期 {late} 个。",
            "Unassigned tasks in the {department} queue: {soon} due tomorrow, {late} overdue.",
        ),
        "tk.mail.open_queue": ("打开任务中心", "Open Tasks"),
        **{f"tk.kind.{k}": v for k, v in _KINDS.items()},
        **{f"tk.step.{k}": v for k, v in _STEPS.items()},
        **{f"tk.status.{k}": v for k, v in _STATUSES.items()},
        **{f"tk.action.{k}": v for k, v in _ACTIONS.items()},
        **{f"tk.outcome.{k}": v for k, v in _OUTCOMES.items()},
        **{f"tk.field.{k}": v for k, v in _FIELDS.items()},
        **{f"tk.choice.{k}": v for k, v in _CHOICES.items()},
        **{f"tk.err.{k}": v for k, v in _ERRORS.items()},
    }
)
