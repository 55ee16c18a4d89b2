"""Labels of departments on the users page and of the rectification ledger (整改台账)."""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

RECTIFICATION: dict[str, dict[str, str]] = zh_en(
    {
        # departments of users (用户管理)
        "users.department": ("所属部门", "Department"),
        "users.no_department": ("（无部门）", "(no department)"),
        "users.set_department": ("设置部门", "Set department"),
        "users.err.unknown_department": (
            "未知部门：{department}；可选：{choices}。",
            "Unknown department {department}; choose from {choices}.",
        ),
        "col.department": ("部门", "Department"),
        # the rectification ledger (整改台账)
        "page.rectification": ("整改台账", "Rectification ledger"),
        "rc.intro": (
            "数据检查阻断项、报送校验发现和更正报送，每项一条整改事项：责任人、整改期限、状态与整改证明。"
            "责任人提交整改证明后，须由另一人复核销项。发现已消失的事项不会自动关闭，"
            "仍须提交证明并复核。",
            "Each blocking data-check failure, filing validation finding and filing correction is "
            "one item here, with its owner, deadline, status and evidence. The owner submits "
            "evidence; a second person signs it off. An item whose finding went away is not "
            "closed by itself: it still needs evidence and a sign-off.",
        ),
        "rc.read_only": (
            "您的角色可查看整改台账，不能修改（修改：合规、管理员）。",
            "Your roles read the ledger but do not change it (compliance and admin do).",
        ),
        "rc.no_department": (
            "您尚未分配部门，只能查看；请管理员在「用户管理」中设置部门。",
            "You have no department, so you can only read; an admin sets it on the Users page.",
        ),
        "rc.unavailable": (
            "暂时无法读取整改台账（{error}）。",
            "The rectification ledger cannot be read right now ({error}).",
        ),
        "rc.sync": ("立即同步", "Sync now"),
        "rc.synced": (
            "已同步：新增 {created} 项，发现消失 {gone} 项，"
            "发现重现 {back} 项，新逾期 {overdue} 项。",
            "Synced: {created} new, {gone} {gone:finding|findings} gone, {back} "
            "{back:finding|findings} back, {overdue} overdue.",
        ),
        "rc.none": ("没有符合条件的整改事项。", "No rectification item matches."),
        "rc.filter.status": ("状态", "Status"),
        "rc.filter.source": ("来源", "Source"),
        "rc.filter.overdue": ("仅看逾期", "Overdue only"),
        "rc.count": ("整改事项 {n} 项", "{n} rectification {n:item|items}"),
        "rc.pick": ("选择事项", "Item"),
        "rc.item": ("事项 #{id}：{title}", "Item #{id}: {title}"),
        "rc.gone": (
            "该发现在最近一次同步中已不存在：请确认整改并提交证明，经复核后关闭。",
            "Finding no longer present at the last sync: confirm the fix and submit evidence; "
            "it closes once signed off.",
        ),
        "rc.description": ("发现内容", "Finding"),
        "rc.history": ("处理记录", "History"),
        "rc.owner": ("责任人", "Owner"),
        "rc.assign": ("指派", "Assign"),
        "rc.start": ("开始整改", "Start"),
        "rc.evidence": (
            "整改证明（说明所做整改及佐证）",
            "Evidence (what was put right, and proof)",
        ),
        "rc.submit": ("提交复核", "Submit for sign-off"),
        "rc.sign_off": ("复核通过并关闭", "Sign off and close"),
        "rc.return_note": ("退回意见", "Why it goes back"),
        "rc.send_back": ("退回整改", "Send back"),
        "rc.done": ("事项 #{id} 已更新。", "Item #{id} updated."),
        "rc.status.open": ("待处理", "Open"),
        "rc.status.in_progress": ("整改中", "In progress"),
        "rc.status.submitted": ("待复核", "Submitted for sign-off"),
        "rc.status.closed": ("已关闭", "Closed"),
        "rc.status.overdue": ("已逾期", "Overdue"),
        "rc.source.data_check": ("数据检查", "Data check"),
        "rc.source.validation": ("报送校验", "Filing validation"),
        "rc.source.correction": ("更正报送", "Filing correction"),
        "rc.present.yes": ("存在", "present"),
        "rc.present.no": ("已消失", "no longer present"),
        "rc.err.role": (
            "您的角色只能查看整改台账。",
            "Your roles read the ledger but may not change it.",
        ),
        "rc.err.department": (
            "事项 #{item} 属于{department}，您不在该部门，不能修改。",
            "Item #{item} belongs to {department}; you are not in that department.",
        ),
        "rc.err.branch": (
            "事项 #{item} 超出您的分支机构范围（全机构事项需全部分支机构权限）。",
            "Item #{item} is outside your branch scope (an institution-wide item needs every "
            "branch).",
        ),
        "rc.err.no_item": ("没有事项 #{item}。", "There is no item #{item}."),
        "rc.err.status": (
            "事项 #{item} 当前为「{status}」，不能进行此操作。",
            "Item #{item} is {status}: this cannot be done now.",
        ),
        "rc.err.owner": (
            "{name} 不是{department}的在用账户，不能作为责任人。",
            "{name} is not an enabled member of {department}.",
        ),
        "rc.err.not_owner": (
            "只有事项 #{item} 的责任人（{owner}）可以执行此操作。",
            "Only the owner of item #{item} ({owner}) may do this.",
        ),
        "rc.err.no_evidence": ("请填写说明。", "Write a note."),
        "rc.err.long_evidence": (
            "说明最多 {n} 个字符。",
            "A note has at most {n} {n:character|characters}.",
        ),
        "rc.err.same_person": (
            "提交人不能复核自己提交的事项，须由另一人复核。",
            "The person who submitted an item cannot sign it off: a second person does.",
        ),
        "col.item_id": ("编号", "No."),
        "col.source": ("来源", "Source"),
        "col.title": ("事项", "Item"),
        "col.owner": ("责任人", "Owner"),
        "col.deadline": ("整改期限", "Deadline"),
        "col.finding_present": ("发现", "Finding"),
        "col.evidence": ("整改证明", "Evidence"),
        "col.submitted_by": ("提交人", "Submitted by"),
        "col.closed_by": ("复核人", "Signed off by"),
        "col.closed_at": ("关闭时间（{zone}）", "Closed at ({zone})"),
        "col.description": ("发现内容", "Finding"),
    }
)
