"""Labels of 模型监控 (the early-warning model's monitoring page) and of its two alert rules."""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

MODEL_MONITORING: dict[str, dict[str, str]] = zh_en(
    {
        "page.model_monitoring": ("模型监控", "Model monitoring"),
        "mm.intro": (
            "预警评分（未来6个月内逾期90天以上或核销的概率）在每个评分月末的区分度、校准与稳定性。"
            "结果须等6个月才能确定：此前的月末显示为“结果尚未可知”，不按零计。",
            "How the early-warning score (the probability of 90+ DPD or write-off within 6 "
            "months) performs at each scored month-end: discrimination, calibration, stability. "
            "An outcome takes 6 months to be known; until then a month-end reads “outcome not "
            "yet known”, never zero.",
        ),
        "mm.scoped": (
            "模型监控针对全公司口径；您的账户限于部分分支机构，因此不显示。",
            "Model monitoring is on the whole company; your account is limited to some "
            "branches, so nothing is shown.",
        ),
        "mm.no_model": (
            "尚无已批准的预警模型：训练（`postloan model train`）并由另一人批准"
            "（`postloan model promote`）后，下一次构建将评分，本页随之显示。",
            "No early-warning model is approved yet: once one is trained (`postloan model "
            "train`) and approved by a second person (`postloan model promote`), the next "
            "build scores with it and this page fills.",
        ),
        "mm.no_scores": (
            "生效模型 {version} 在 {month} 及以前尚无评分：请运行 `postloan build`；"
            "若构建拒绝评分，加载日志会说明原因。",
            "The model in force, {version}, has no scores up to {month}: run `postloan "
            "build`; if the build refused to score, the load log says why.",
        ),
        "mm.h_model": ("生效模型", "The model in force"),
        "mm.version": ("版本", "Version"),
        "mm.trained": ("训练", "Trained"),
        "mm.approved": ("批准", "Approved"),
        "mm.by_at": ("{who}，{at}", "{who}, {at}"),
        "mm.purpose": ("用途", "Purpose"),
        "mm.data": ("训练数据", "Training data"),
        "mm.data_text": (
            "月末 {first} 至 {last}，{rows} 个合同月，违约 {defaults} 个；构建截至 {built}；"
            "数据指纹 {fingerprint}",
            "month-ends {first} to {last}, {rows} {rows:contract-month|contract-months}, "
            "{defaults} {defaults:default|defaults}; built to {built}; fingerprint {fingerprint}",
        ),
        "mm.sample": ("训练样本", "Training sample"),
        "mm.sample_text": (
            "大型账簿：只读取月末 {first} 至 {last}（其中结果已知的履约合同月 {known} 个）；"
            "有违约的合同全部保留（{defaulting} 个合同月），其余合同按合同抽取 {share}，"
            "每份代表 {per} 份合同；共读取 {read} 个合同月。模型在其中 {rows} 个合同月上拟合，"
            "代表账簿的 {weighted} 个合同月；回测指标、提前期与拟合均按此权重计算。",
            "A large book: only the month-ends {first} to {last} were read ({known} performing "
            "{known:contract-month|contract-months} with a known outcome); every contract with a "
            "default was kept ({defaulting} {defaulting:contract-month|contract-months}) and "
            "{share} of the others, drawn by contract, each standing for {per} contracts; "
            "{read} {read:contract-month|contract-months} read. The models were fitted on {rows} "
            "of them, standing for {weighted} contract-months of the book; the backtest's "
            "measures, the lead times and the fits are weighted accordingly.",
        ),
        "mm.limits": ("局限", "Limits"),
        "mm.backtest": (
            "样本外回测（{first} 至 {last}）：AUC {auc}，KS {ks}，Brier {brier}",
            "Out-of-time backtest ({first} to {last}): AUC {auc}, KS {ks}, Brier {brier}",
        ),
        "mm.h_discrimination": ("区分度", "Discrimination"),
        "mm.discrimination_note": (
            "AUC：随机抽取一个违约合同与一个未违约合同，前者评分更高的概率（并列记一半）；"
            "KS：违约与未违约合同累计占比的最大差距。虚线为预警线 {line}（alerts.model_auc_min）。",
            "AUC: the chance a random default scores above a random non-default (ties count "
            "half); KS: the largest gap between the cumulative shares of defaults and "
            "non-defaults. The dashed line is the alert line {line} (alerts.model_auc_min).",
        ),
        "mm.latest_auc": ("最近结果已知月末 AUC", "AUC, latest known month-end"),
        "mm.latest_ks": ("KS", "KS"),
        "mm.latest_brier": ("Brier", "Brier"),
        "mm.latest_psi": ("评分 PSI（{month}）", "Score PSI ({month})"),
        "mm.none_known": (
            "尚无结果已知的评分月末（须评分后满6个月）。",
            "No scored month-end has a known outcome yet (6 months after scoring).",
        ),
        "mm.h_calibration": (
            "校准：各十分位的预测与实际违约率",
            "Calibration: predicted vs observed by decile",
        ),
        "mm.calibration_month": ("月末", "Month-end"),
        "mm.calibration_note": (
            "十分位按该月末评分排序，1 为风险最高的十分之一。"
            "Brier 为预测概率与实际结果之差的平方均值，越小越好。",
            "Deciles rank the scores of that month-end, 1 being the riskiest tenth. Brier is "
            "the mean squared gap between the probability and the outcome: lower is better.",
        ),
        "mm.h_stability": ("稳定性：相对训练分布的 PSI", "Stability: PSI against training"),
        "mm.stability_note": (
            "PSI 低于 0.1 为稳定，0.1–0.25 需关注，高于 0.25 为显著偏移；"
            "预警线 {line}（alerts.model_psi_max）。",
            "PSI below 0.1 is stable, 0.1–0.25 worth watching, above 0.25 shifted; alert line "
            "{line} (alerts.model_psi_max).",
        ),
        "mm.no_reference": (
            "该版本的模型卡训练时未保存训练分布（较早的版本），无法计算 PSI；"
            "重新训练并批准新版本后即可显示。",
            "This version's card was written before the training distribution was kept, so "
            "no PSI can be measured; a newly trained and approved version shows it.",
        ),
        "mm.h_features": ("各特征 PSI", "PSI of each feature"),
        "mm.features_note": (
            "{month} 月末各特征的 PSI：构建评分时按训练分布的分箱统计的合同数。",
            "Each feature's PSI at {month}: the contracts the build counted per training bin "
            "while scoring.",
        ),
        "mm.features_not_stored": (
            "本次构建未以 {version} 对 {month} 月末评分，无该月末的特征分布；"
            "请选择已评分的月末，或重新构建。",
            "The build did not score the {month} month-end with {version}, so that month-end's "
            "feature distribution is not stored; choose a scored month-end or rebuild.",
        ),
        "mm.outcome_unknown": ("结果尚未可知", "outcome not yet known"),
        "mm.outcome_known": ("已知", "known"),
        "mm.band.stable": ("稳定", "stable"),
        "mm.band.watch": ("关注", "watch"),
        "mm.band.shifted": ("显著偏移", "shifted"),
        "mm.predicted": ("预测违约率", "Predicted"),
        "mm.observed": ("实际违约率", "Observed"),
        "mm.line": ("预警线", "Alert line"),
        "col.rows": ("评分合同数", "Contracts scored"),
        "col.predicted": ("平均预测违约率", "Mean predicted"),
        "col.outcome_known": ("6个月结果", "6-month outcome"),
        "col.defaults": ("违约数", "Defaults"),
        "col.observed": ("实际违约率", "Observed rate"),
        "col.auc": ("AUC", "AUC"),
        "col.ks": ("KS", "KS"),
        "col.brier": ("Brier", "Brier"),
        "col.psi": ("PSI", "PSI"),
        "col.psi_band": ("判断", "Reading"),
        "col.score_decile": ("评分十分位", "Score decile"),
        "col.feature": ("特征", "Feature"),
        "al.rule.model.psi": ("预警评分 PSI", "Early-warning score PSI"),
        "al.rule.model.auc": ("预警评分 AUC", "Early-warning score AUC"),
        "al.detail.model.psi": (
            "模型 {version}：{since} 月末评分相对训练分布的 PSI 为 {value}，预警线 {line}",
            "Model {version}: PSI of the {since} scores against training {value}, line {line}",
        ),
        "al.detail.model.auc": (
            "模型 {version}：截至 {since} 月末，最近一个6个月结果已知月末的 AUC 为 {value}，"
            "预警线 {line}",
            "Model {version}: AUC at the latest month-end with a known 6-month outcome, as of "
            "{since}: {value}, line {line}",
        ),
    }
)
