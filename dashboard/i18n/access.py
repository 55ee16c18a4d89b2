"""Catalogue entries of access control: sign-in, roles, the audit page (merged into `CATALOGUE`).

Sign-in, roles and user administration have their own entries in `dashboard/i18n/signin.py`.
"""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

ACTION_NAMES: dict[str, tuple[str, str]] = {
    "sign_in": ("登录", "Sign-in"),
    "sign_in_failed": ("登录失败", "Failed sign-in"),
    "sign_out": ("退出登录", "Sign-out"),
    "locked_out": ("账户锁定", "Locked out"),
    "session_expired": ("会话超时", "Session expired"),
    "access_denied": ("拒绝访问", "Access denied"),
    "page_view": ("页面访问", "Page view"),
    "dossier_view": ("查看合同档案", "Dossier view"),
    "download": ("下载", "Download"),
    "export": ("导出", "Export"),
    "load": ("数据加载", "Data load"),
    "check_run": ("数据检查", "Data check"),
    "filing_transition": ("报送流转", "Filing transition"),
    "decision": ("委员会决议", "Committee decision"),
    "user_admin": ("用户管理", "User administration"),
    "alert": ("预警处理", "Alert handled"),
    "delivery": ("消息发送", "Message delivered"),
    "model": ("预警模型", "Early-warning model"),
    "rectification": ("整改台账", "Rectification ledger"),
    "task_strategy": ("任务策略", "Task strategy"),
    "task": ("任务处理", "Task worked"),
}

ACCESS: dict[str, dict[str, str]] = zh_en(
    {
        "page.audit": ("审计日志", "Audit trail"),
        "audit.intro": (
            "所有敏感操作（登录、查看档案、下载导出、数据加载、报送流转、委员会决议、用户管理）"
            "均记录于此，只可追加、不可修改。时间按显示时区（{zone}）。",
            "Every sensitive action (sign-ins, dossier views, downloads and exports, data loads, "
            "filing transitions, committee decisions, user administration) is recorded here, "
            "append-only. Times are in the display zone ({zone}).",
        ),
        "audit.from": ("起始日期", "From"),
        "audit.to": ("截止日期", "To"),
        "audit.actor": ("操作人", "Actor"),
        "audit.action": ("操作类型", "Action"),
        "audit.text": ("对象或详情包含", "Target or details contain"),
        "audit.all": ("全部", "All"),
        "audit.count": ("共 {n} 条记录", "{n} {n:record|records}"),
        "audit.page": ("页码", "Page"),
        "audit.none": ("没有符合条件的记录。", "No records match."),
        "audit.own_only": (
            "您的账户限于部分分支机构：审计日志只显示您本人的操作。",
            "Your account is limited to some branches: the trail shows your own actions only.",
        ),
        "audit.chain_ok": (
            "审计链完整：已验证至第 {n} 条记录（共 {rows} 条）。",
            "Audit chain intact: verified up to row {n} ({rows} {rows:row|rows}).",
        ),
        "audit.chain_empty": (
            "审计链尚未开始：{rows} 条记录由旧版本写入，下一条记录将其封存。",
            "The audit chain has not started: {rows} {rows:row was|rows were} written by an "
            "older version; the next row seals them.",
        ),
        "audit.chain_broken": (
            "审计链在第 {n} 条记录处断开（{why}），已验证至第 {upto} 条。"
            "请运行 postloan audit verify 并报告信息安全负责人。",
            "Audit chain BROKEN at row {n} ({why}); verified up to row {upto}. "
            "Run postloan audit verify and report it to information security.",
        ),
        "audit.bad_range": (
            "起始日期晚于截止日期，已对调。",
            "The start date was after the end date; they have been swapped.",
        ),
        "audit.export_cap": (
            "导出最多包含最新的 {n} 条记录。",
            "An export holds the newest {n} {n:record|records} at most.",
        ),
        "audit.unavailable": (
            "暂时无法读取审计日志（{error}）。请联系管理员。",
            "The audit trail cannot be read right now ({error}). Call the admin.",
        ),
        "col.event_id": ("编号", "Id"),
        "col.at": ("时间（{zone}）", "Time ({zone})"),
        "col.actor": ("操作人", "Actor"),
        "col.action": ("操作类型", "Action"),
        "col.target": ("对象", "Target"),
        "col.row_count": ("行数", "Rows"),
        "col.sha256": ("SHA-256", "SHA-256"),
        "col.details": ("详情", "Details"),
        "col.lessee_name": ("承租人名称", "Lessee name"),
        "col.lessee_id_number": ("证件号码", "ID number"),
        "col.guarantor_name": ("担保人名称", "Guarantor name"),
        "col.phone": ("联系电话", "Phone"),
        **{f"audit.action.{k}": v for k, v in ACTION_NAMES.items()},
    }
)
