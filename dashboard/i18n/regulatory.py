"""Catalogue entries of the 监管报送 and 数据质量 pages (merged into the `CATALOGUE`)."""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

REGULATORY: dict[str, dict[str, str]] = zh_en(
    {
        "page.filing": ("监管报送", "Regulatory filing"),
        "page.data_quality": ("数据质量", "Data quality"),
        # filing: pickers and catalogue
        "fl.period": ("报告期（月末）", "Period (month-end)"),
        "fl.report": ("报表", "Report"),
        "fl.no_period": (
            "数据仓库中还没有可报送的月末。",
            "The warehouse holds no month-end to report on.",
        ),
        "fl.bad_period": (
            "链接中的报告期 {value} 无效，已改用 {used}。",
            "The period {value} in the link is not valid; showing {used} instead.",
        ),
        "fl.bad_report": (
            "报表 {value} 不在本期报送目录中，已改用 {used}。",
            "Report {value} is not due for this period; showing {used} instead.",
        ),
        "fl.scope_refused": (
            "监管报表按全机构口径编制，只能由拥有全部分支机构数据权限的合规人员报送；"
            "您的数据范围限于部分分支机构。",
            "Supervisory reports cover the whole institution, so only compliance users with "
            "every branch in scope may file them; your scope is limited to some branches.",
        ),
        "fl.catalogue": ("本期报送目录", "Reports due for this period"),
        "fl.calendar": ("报送日历（近 12 个月）", "Filing calendar (last 12 months)"),
        "fl.col.report": ("报表", "Report"),
        "fl.col.period": ("报告期", "Period"),
        "fl.col.deadline": ("报送截止日", "Deadline"),
        "fl.col.status": ("状态", "Status"),
        "fl.col.version": ("版本", "Version"),
        "fl.correcting": ("（更正中）", " (correction under way)"),
        "fl.state.not_started": ("未开始", "Not started"),
        "fl.state.draft": ("草稿", "Draft"),
        "fl.state.validated": ("已校验待复核", "Validated, awaiting review"),
        "fl.state.reviewed": ("已复核", "Reviewed"),
        "fl.state.submitted": ("已报送", "Submitted"),
        "fl.state.overdue": ("已逾期", "Overdue"),
        "fl.state.withdrawn": ("已作废", "Withdrawn"),
        # preview
        "fl.preview": (
            "报表预览（与工作簿一致，单位：万元）",
            "Preview (as in the workbook, 10k yuan)",
        ),
        "fl.detail_preview": (
            "合同明细逐笔数据量大，不在页面预览；以下为明细合计。",
            "The loan-level detail is too large to preview; its totals follow.",
        ),
        "fl.compile_failed": ("报表生成失败：{error}", "The report could not be compiled: {error}"),
        # version and workflow
        "fl.version_head": ("第 {n} 版 · {state}", "Version {n} · {state}"),
        "fl.no_version": (
            "本期尚未开始报送。新建草稿后可运行校验并提交复核。",
            "Nothing filed for this period yet. Create a draft, validate it and submit for review.",
        ),
        "fl.stale": (
            "当前版本基于加载 #{old}，数据仓库已更新为加载 #{new}：请新建草稿。",
            "This version uses load #{old}; the warehouse now holds load #{new}: "
            "create a new draft.",
        ),
        "fl.new_draft": ("新建草稿", "Create draft"),
        "fl.validate": ("运行校验", "Run validation"),
        "fl.validating": (
            "正在生成本期报表并校验…",
            "Compiling this period's reports and validating…",
        ),
        "fl.compiling": ("生成 {code}（{n}/{total}）", "Compiling {code} ({n}/{total})"),
        "fl.checking": ("执行表内、表间校验", "Running within- and cross-table checks"),
        "fl.validated_at": (
            "最近校验：{at}（{actor}）· 阻断 {blocking} 项 · 提示 {warnings} 项",
            "Last validation: {at} ({actor}) · {blocking} blocking · {warnings} "
            "{warnings:warning|warnings}",
        ),
        "fl.not_validated": ("尚未校验。", "Not validated yet."),
        "fl.no_findings": ("校验通过，无问题。", "Validation passed: no findings."),
        "fl.findings": ("校验结果", "Findings"),
        "fl.col.severity": ("级别", "Severity"),
        "fl.col.rule": ("规则", "Rule"),
        "fl.col.cells": ("单元格", "Cells"),
        "fl.col.message": ("说明", "Message"),
        "fl.col.expected": ("应为", "Expected"),
        "fl.col.actual": ("实际", "Actual"),
        "fl.severity.blocking": ("阻断", "Blocking"),
        "fl.severity.warning": ("提示", "Warning"),
        "fl.contracts": ("涉及合同：", "Contracts named:"),
        "fl.explain": ("对提示 {rule} 的书面说明", "Written explanation of warning {rule}"),
        "fl.explain_save": ("保存说明", "Save explanation"),
        "fl.explained": ("说明已保存。", "Explanation saved."),
        "fl.download_draft": ("下载草稿工作簿", "Download draft workbook"),
        "fl.prepare_detail": ("生成明细工作簿", "Prepare the detail workbook"),
        "fl.preparing_detail": ("正在逐批写出合同明细…", "Writing the loan-level detail…"),
        "fl.submit_review": ("提交复核", "Submit for review"),
        "fl.approve": ("复核通过", "Approve"),
        "fl.approve_own": (
            "您是本版本的编制人，不能复核自己的报表（编制与复核须由不同人员完成）。",
            "You prepared this version, so you cannot approve it (maker and checker must differ).",
        ),
        "fl.rework_note": ("退回原因", "Why it goes back"),
        "fl.rework": ("退回修改", "Return for rework"),
        "fl.submit": ("正式报送并归档", "Submit and archive"),
        "fl.archive": ("归档工作簿", "Archived workbook"),
        "fl.archive_sha": ("SHA-256：{sha}", "SHA-256: {sha}"),
        "fl.archive_meta": (
            "{at} 由 {who} 报送 · 数据：加载 #{load} · 程序版本 {version}",
            "Submitted {at} by {who} · data: load #{load} · program version {version}",
        ),
        "fl.download_archive": ("下载归档工作簿", "Download archived workbook"),
        "fl.archive_corrupt": (
            "归档文件校验失败，拒绝下载：{error}",
            "The archived file failed its check and is not offered: {error}",
        ),
        "fl.correction": ("更正报送", "Correction (更正报送)"),
        "fl.correction_reason": ("更正原因（必填）", "Reason for the correction (required)"),
        "fl.correct": ("以当前数据新建更正版本", "Create a correction from the current data"),
        "fl.diff": (
            "与上一报送版本（第 {n} 版）的差异",
            "Differences from the previous submitted version ({n})",
        ),
        "fl.no_diff": (
            "与上一报送版本无差异。",
            "No difference from the previous submitted version.",
        ),
        "fl.col.cell": ("单元格", "Cell"),
        "fl.col.before": ("原报送值", "Previously filed"),
        "fl.col.after": ("更正后", "Corrected"),
        "fl.col.change": ("变动", "Change"),
        "fl.history": ("版本与操作记录", "Versions and history"),
        "fl.col.kind": ("类型", "Kind"),
        "fl.col.created": ("创建时间（{zone}）", "Created ({zone})"),
        "fl.col.by": ("操作人", "By"),
        "fl.col.reason": ("原因", "Reason"),
        "fl.col.at": ("时间（{zone}）", "When ({zone})"),
        "fl.col.from": ("原状态", "From"),
        "fl.col.to": ("新状态", "To"),
        "fl.col.note": ("备注", "Note"),
        "fl.kind.original": ("首次报送", "Original"),
        "fl.kind.correction": ("更正", "Correction"),
        "fl.done": ("已完成：{what}", "Done: {what}"),
        "fl.refused": ("操作未完成：{error}", "Not done: {error}"),
        # data quality
        "dq.intro": (
            "数据检查按数据集和严重程度列示；阻断项须在报送前解决。",
            "Data checks by dataset and severity; blocking failures must be resolved before "
            "filing.",
        ),
        "dq.scope_refused": (
            "数据检查覆盖全机构数据，仅限拥有全部分支机构数据权限的用户查看。",
            "Data checks cover the whole institution: only users with every branch in scope "
            "may see them.",
        ),
        "dq.run": ("立即运行数据检查", "Run the checks now"),
        "dq.running": ("正在运行数据检查…", "Running the data checks…"),
        "dq.run_done": (
            "检查完成：运行 #{run} · 阻断 {blocking} 项 · 提示 {warnings} 项",
            "Checks done: run #{run} · {blocking} blocking · {warnings} "
            "{warnings:warning|warnings}",
        ),
        "dq.no_runs": (
            "还没有数据检查记录。请点击上方按钮运行数据检查。",
            "No check runs yet. Use the button above to run the data checks.",
        ),
        "dq.runs": ("最近的检查运行", "Latest check runs"),
        "dq.run_pick": ("查看运行", "Show run"),
        "dq.run_label": (
            "#{run} · {at} · 阻断 {blocking} · 提示 {warnings}",
            "#{run} · {at} · {blocking} blocking · {warnings} {warnings:warning|warnings}",
        ),
        "dq.summary": ("按数据集与严重程度", "By dataset and severity"),
        "dq.results": ("检查结果", "Check results"),
        "dq.failing": ("未通过的检查及问题数据", "Failing checks and offending rows"),
        "dq.all_passed": ("本次运行所有检查均通过。", "Every check of this run passed."),
        "dq.trend": ("未通过检查数趋势", "Failing checks over runs"),
        "dq.col.run_id": ("运行编号", "Run"),
        "dq.col.run_at": ("运行时间（{zone}）", "Run at ({zone})"),
        "dq.col.as_of": ("检查月份", "As of"),
        "dq.col.load_id": ("加载编号", "Load"),
        "dq.col.checks": ("检查数", "Checks"),
        "dq.col.blocking_failures": ("阻断失败", "Blocking failures"),
        "dq.col.warnings": ("提示", "Warnings"),
        "dq.col.seconds": ("耗时（秒）", "Seconds"),
        "dq.col.dataset": ("数据集", "Dataset"),
        "dq.col.check_id": ("检查", "Check"),
        "dq.col.severity": ("严重程度", "Severity"),
        "dq.col.status": ("结果", "Status"),
        "dq.col.failing_rows": ("问题行数", "Failing rows"),
        "dq.col.message": ("信息", "Message"),
        "dq.col.passed": ("通过", "Passed"),
        "dq.col.failed": ("未通过", "Failed"),
        "dq.status.passed": ("通过", "Passed"),
        "dq.status.failed": ("未通过", "Failed"),
        "dq.status.error": ("无法执行", "Error"),
        "dq.status.skipped": ("跳过", "Skipped"),
        "dq.examples": (
            "前 {n} 个问题行（共 {total} 行）",
            "First {n} offending {n:row|rows} (of {total})",
        ),
        "dq.store_down": (
            "暂时无法读取检查记录（{error}）。",
            "The check runs cannot be read right now ({error}).",
        ),
    }
)
