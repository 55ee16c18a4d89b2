"""Labels of the alert inbox (预警)."""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

ALERTS: dict[str, dict[str, str]] = zh_en(
    {
        "page.alerts": ("预警", "Alerts"),
        "al.intro": (
            "指标越过监管线或风险偏好线时在此提醒，每条预警对应一个指标、一个对象。连续超线达到宽限期才发出；"
            "回到线内一定幅度（回差）才解除，在线附近徘徊不会反复提醒。口径与各页面一致。",
            "An alert appears here when a figure crosses its regulatory or risk-appetite line, one "
            "per figure and subject. It fires after its grace period and resolves only once the "
            "figure is back inside the line by its band, so a figure hovering at its line does not "
            "alert again and again. Figures are those the pages show.",
        ),
        "al.scoped": (
            "预警针对全公司口径的指标；您的账户限于部分分支机构，因此不显示预警。",
            "Alerts are on whole-company figures; your account is limited to some branches, so "
            "none are shown.",
        ),
        "al.none": ("目前没有需要处理的预警。", "No alert needs you right now."),
        "al.open_count": ("待处理预警 {n} 条", "{n} open alerts"),
        "al.resolved": ("最近解除的预警", "Recently resolved"),
        "al.none_resolved": ("暂无已解除的预警。", "No alert has resolved yet."),
        "al.status.firing": ("待处理", "Firing"),
        "al.status.acknowledged": ("已确认", "Acknowledged"),
        "al.status.resolved": ("已解除", "Resolved"),
        "al.book": ("全部资产", "Whole book"),
        "al.over": ("高于", "above"),
        "al.under": ("低于", "below"),
        "al.headline": ("{figure}{side}预警线", "{figure} {side} its line"),
        "al.detail": (
            "{subject}：{value}，预警线 {line}（{basis}）；{since} 月末起",
            "{subject}: {value}, line {line} ({basis}); since the {since} month-end",
        ),
        "al.basis.regulatory": ("监管线", "regulatory"),
        "al.basis.appetite": ("风险偏好", "risk appetite"),
        "al.snoozed": ("暂缓至 {until}", "Snoozed until {until}"),
        "al.ack": ("确认", "Acknowledge"),
        "al.snooze": ("暂缓7天", "Snooze 7 days"),
        "al.open": ("查看指标", "Open the figure"),
        "al.done": ("已记录。", "Recorded."),
        "al.refused": ("该预警不在您的收件箱中。", "That alert is not in your inbox."),
        "al.unavailable": (
            "暂时无法读取预警（{error}）。请稍后重试。",
            "Alerts cannot be read right now ({error}). Try again later.",
        ),
        "al.mail.fired": ("预警", "Alert"),
        "al.mail.refired": ("预警（暂缓到期）", "Alert (snooze over)"),
        "al.mail.resolved": ("已解除", "Resolved"),
        "al.mail.open": ("查看", "Open"),
        "sub.pack.executive_weekly": ("管理层周报", "Executive weekly pack"),
        "sub.pack.at_risk": ("风险合同清单", "At-risk contracts"),
        "sub.all_branches": ("全部分支机构", "Every branch"),
        "sub.cover.pack": ("报告", "Pack"),
        "sub.cover.as_of": ("数据截至", "As of"),
        "sub.cover.recipient": ("收件人", "Recipient"),
        "sub.cover.scope": ("数据范围", "Branch scope"),
        "sub.cover.generated": ("生成时间", "Generated"),
        "sub.empty": ("（无数据）", "(no rows)"),
        "sub.mail.subject": ("[Postloan] {pack} · {as_of}", "[Postloan] {pack} · {as_of}"),
        "sub.mail.body": (
            "附件为{pack}（数据截至 {as_of}，按您的权限与数据范围生成）。",
            "Attached: {pack} (as of {as_of}, as your role and branch scope show it).",
        ),
        "al.col.figure": ("指标", "Figure"),
        "al.col.subject": ("对象", "Subject"),
        "al.col.value": ("解除时数值", "Value when resolved"),
        "al.col.line": ("预警线", "Line"),
        "al.col.fired": ("发出", "Fired"),
        "al.col.resolved": ("解除", "Resolved"),
    }
)
