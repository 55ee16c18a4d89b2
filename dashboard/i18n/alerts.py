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
        "al.never": ("预警规则尚未运行过。", "The alert rules have not run yet."),
        "al.last_run": (
            "最近一次评估：{at}，数据截至 {as_of}。",
            "Last evaluated {at}, on the {as_of} month-end.",
        ),
        "al.missing": (
            "以下指标本次没有数值（如无不良可覆盖、缺少净资产），相应预警无法判断：{names}",
            "These figures had no value this time (e.g. no NPL to cover, no net assets), so "
            "their alerts could not be judged: {names}",
        ),
        "al.open_count": ("待处理预警 {n} 条", "{n} open {n:alert|alerts}"),
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
        "al.group.count": (
            "{n} 条（待处理 {firing} 条）",
            "{n} {n:alert|alerts} ({firing} firing)",
        ),
        "al.group.first": ("最需关注：{detail}", "First to look at: {detail}"),
        "al.group.ack": ("全部确认（{n} 条待处理）", "Acknowledge all ({n} firing)"),
        "al.group.each": ("逐条查看（{n} 条）", "One by one ({n})"),
        "al.group.item": ("{status} · {detail}", "{status} · {detail}"),
        "al.done_group": ("已确认 {n} 条预警。", "{n} {n:alert|alerts} acknowledged."),
        "al.refused_group": (
            "未确认：其中有预警已不在您的收件箱中（可能已解除），请刷新后重试。",
            "Nothing acknowledged: one of those alerts is no longer in your inbox (it may have "
            "resolved); reload and try again.",
        ),
        "al.refused": ("该预警不在您的收件箱中。", "That alert is not in your inbox."),
        "al.unavailable": (
            "暂时无法读取预警（{error}）。请稍后重试。",
            "Alerts cannot be read right now ({error}). Try again later.",
        ),
        "al.mail.fired": ("预警", "Alert"),
        "al.mail.refired": ("预警（暂缓到期）", "Alert (snooze over)"),
        "al.mail.resolved": ("已解除", "Resolved"),
        "al.mail.open": ("查看", "Open"),
        "al.mail.count": ("{n} 条", "{n} {n:alert|alerts}"),
        "sub.pack.executive_weekly": ("管理层周报", "Executive weekly pack"),
        "sub.pack.at_risk": ("风险合同清单", "At-risk contracts"),
        "sub.pack.compliance_calendar": ("报送日历", "Filing calendar"),
        "sub.section.calendar": ("报送日历", "Filing calendar"),
        "sub.all_branches": ("全部分支机构", "Every branch"),
        "sub.cover.pack": ("报告", "Pack"),
        "sub.cover.as_of": ("数据截至", "As of"),
        "sub.cover.recipient": ("收件人", "Recipient"),
        "sub.cover.scope": ("数据范围", "Branch scope"),
        "sub.cover.generated": ("生成时间", "Generated"),
        "sub.cover.filters": ("筛选条件", "Filters"),
        "sub.new.view": ("筛选（可选）", "Filters (optional)"),
        "sub.new.view_help": (
            "订阅某个页面视图：从该页面地址中复制筛选参数，如 product=loan&region=310000；"
            "留空为全部数据。数据月份始终为最新月末。",
            "To subscribe to a page view, copy its filters from the page's address, e.g. "
            "product=loan&region=310000; empty for the whole book. The month is always the "
            "newest month-end.",
        ),
        "sub.col.view": ("筛选", "Filters"),
        "sub.err.view": (
            "筛选参数无效：只能使用页面侧栏的筛选项（如 product、region）。",
            "Those filters are not valid: use the sidebar's filters only (e.g. product, region).",
        ),
        "sub.empty": ("（无数据）", "(no rows)"),
        "sub.section.lines": ("监管红线", "Regulatory lines"),
        "sub.section.movers_region": ("变动最大的地区", "Regions that moved most"),
        "sub.section.movers_product": ("变动最大的产品", "Products that moved most"),
        "sub.col.line": ("红线", "Line"),
        "sub.col.verdict": ("判断", "Verdict"),
        "sub.col.change": ("较上月变动（万元）", "Change on last month (10k yuan)"),
        "sub.mail.subject": ("[Postloan] {pack} · {as_of}", "[Postloan] {pack} · {as_of}"),
        "sub.mail.body": (
            "附件为{pack}（数据截至 {as_of}，按您的权限与数据范围生成）。",
            "Attached: {pack} (as of {as_of}, as your role and branch scope show it).",
        ),
        "page.subscriptions": ("消息与订阅", "Messages & subscriptions"),
        "sub.intro": (
            "预警和订阅的报告通过电子邮件发送；报告按收件人本人的权限、数据范围和脱敏规则生成。"
            "时间按显示时区（{zone}）。",
            "Alerts and subscribed packs are sent by e-mail, each pack made as its recipient's "
            "role, branch scope and masking show it. Times are in the display zone ({zone}).",
        ),
        "sub.address.title": ("接收邮箱", "Your e-mail address"),
        "sub.address.label": ("邮箱地址（留空则不再发送）", "Address (empty stops all messages)"),
        "sub.address.none": (
            "尚未设置邮箱：预警与订阅不会发送给您。",
            "No address yet: no alert or pack is sent to you.",
        ),
        "sub.save": ("保存", "Save"),
        "sub.new.title": ("新建订阅", "New subscription"),
        "sub.new.pack": ("报告", "Pack"),
        "sub.new.schedule": ("发送时间", "When"),
        "sub.new.schedule_help": (
            "weekly MON 08:00 = 每周一 8:00；monthly WD3 08:00 = 每月第3个工作日 8:00（周一至周五，"
            "不含法定节假日调整），按显示时区。",
            "weekly MON 08:00 = Mondays at 08:00; monthly WD3 08:00 = the 3rd working day "
            "(Monday to Friday; public holidays are not known) at 08:00, in the display zone.",
        ),
        "sub.new.lang": ("语言", "Language"),
        "sub.new.submit": ("订阅", "Subscribe"),
        "sub.no_packs": ("您的角色没有可订阅的报告。", "Your role has no pack to subscribe to."),
        "sub.mine": ("我的订阅", "My subscriptions"),
        "sub.none": ("暂无订阅。", "No subscription yet."),
        "sub.which": ("订阅编号", "Subscription"),
        "sub.pause": ("暂停", "Pause"),
        "sub.resume": ("恢复", "Resume"),
        "sub.test": ("立即发送测试", "Send a test now"),
        "sub.saved": ("已保存。", "Saved."),
        "sub.test_queued": (
            "测试邮件已排队，将在下一轮发送。",
            "The test message is queued and goes out at the next round.",
        ),
        "sub.state.active": ("启用", "Active"),
        "sub.state.paused": ("已暂停", "Paused"),
        "sub.col.id": ("编号", "No."),
        "sub.col.pack": ("报告", "Pack"),
        "sub.col.schedule": ("发送时间", "When"),
        "sub.col.lang": ("语言", "Language"),
        "sub.col.state": ("状态", "State"),
        "sub.col.created": ("创建时间", "Created"),
        "sub.deliveries": ("我的最近投递", "My latest deliveries"),
        "sub.no_deliveries": ("暂无投递记录。", "Nothing delivered yet."),
        "sub.log": ("投递记录", "Delivery log"),
        "sub.failed": (
            "{n} 条投递已多次失败，需检查邮件服务器设置或收件地址。",
            "{n} {n:delivery|deliveries} failed for good: check the mail server settings or the "
            "address.",
        ),
        "sub.col.time": ("时间", "Time"),
        "sub.col.kind": ("类型", "Kind"),
        "sub.col.recipient": ("收件人", "Recipient"),
        "sub.col.address": ("邮箱", "Address"),
        "sub.col.subject": ("主题", "Subject"),
        "sub.col.status": ("状态", "Status"),
        "sub.col.attempts": ("尝试次数", "Attempts"),
        "sub.col.error": ("最近错误", "Last error"),
        "sub.kind.alert": ("预警", "Alert"),
        "sub.kind.subscription": ("订阅报告", "Subscribed pack"),
        "sub.kind.test": ("测试", "Test"),
        "sub.status.queued": ("排队中", "Queued"),
        "sub.status.sending": ("发送中", "Sending"),
        "sub.status.sent": ("已发送", "Sent"),
        "sub.status.failed": ("失败", "Failed"),
        "sub.err.no_account": ("没有该用户。", "No such user."),
        "sub.err.pack": ("没有该报告。", "No such pack."),
        "sub.err.role": ("您的角色不能接收该报告。", "Your role may not receive that pack."),
        "sub.err.lang": ("不支持该语言。", "That language is not supported."),
        "sub.err.schedule": (
            "发送时间格式不对：请写 weekly MON 08:00 或 monthly WD3 08:00。",
            "Not a schedule: write weekly MON 08:00 or monthly WD3 08:00.",
        ),
        "sub.err.no_address": ("请先设置接收邮箱。", "Set your e-mail address first."),
        "sub.err.address": (
            "邮箱地址无效或不在允许的域名内。",
            "That address is invalid or outside the allowed domains.",
        ),
        "sub.err.unknown": ("没有该订阅。", "No such subscription."),
        "sub.err.refused": ("未能保存。", "Not saved."),
        "al.rule.checks.blocking": ("数据检查有阻断性问题", "Data checks have blocking failures"),
        "al.rule.filing.t5": ("报送截止临近（5个工作日内）", "Filing due within 5 working days"),
        "al.rule.filing.t1": ("报送即将截止（1个工作日内）", "Filing due within 1 working day"),
        "al.rule.filing.missed": ("报送已逾期", "Filing deadline missed"),
        "al.detail.filing": (
            "{report}（{period} 期）尚未报送，距截止还有 {days} 个工作日",
            "{report} for {period} not yet submitted: {days} working {days:day|days} to its "
            "deadline",
        ),
        "al.detail.missed": (
            "{report}（{period} 期）已过报送截止日，尚未报送",
            "{report} for {period} is past its deadline and not submitted",
        ),
        "al.rule.exposure.signal": (
            "大额合同出现高等级预警信号",
            "A large exposure has a high-severity signal",
        ),
        "al.detail.signal": (
            "合同 {contract}（未偿本金 {value}）：高等级预警信号或物联网告警",
            "Contract {contract} ({value} outstanding): a high-severity signal or IoT alert",
        ),
        "al.rule.committee.review": ("分类提议待您复核", "A classification proposal awaits you"),
        "al.detail.review": (
            "合同 {contract}：{proposer} 提议调整五级分类，须由另一位委员复核",
            "Contract {contract}: {proposer} proposes a new class; another member reviews it",
        ),
        "al.detail.checks": (
            "最近一次数据检查有 {n} 项阻断性问题，须在报送前解决",
            "The latest data-check run has {n} blocking {n:failure|failures} to fix before filing",
        ),
        "al.col.figure": ("指标", "Figure"),
        "al.col.subject": ("对象", "Subject"),
        "al.col.value": ("解除时数值", "Value when resolved"),
        "al.col.line": ("预警线", "Line"),
        "al.col.fired": ("发出", "Fired"),
        "al.col.resolved": ("解除", "Resolved"),
    }
)
