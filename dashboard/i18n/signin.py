"""Catalogue entries of sign-in, roles, sessions and user administration (merged into CATALOGUE)."""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

SIGNIN: dict[str, dict[str, str]] = zh_en(
    {
        "role.executive": ("管理层", "Executive"),
        "role.risk_committee": ("风险管理委员会", "Risk committee"),
        "role.compliance": ("合规/报送岗", "Compliance"),
        "role.admin": ("系统管理员", "Administrator"),
        "auth.title": ("登录", "Sign in"),
        "auth.intro": (
            "请使用您的账户登录贷后管理分析与监管报送平台。",
            "Sign in to the post-loan analytics and reporting portal.",
        ),
        "auth.username": ("用户名 Username", "Username 用户名"),
        "auth.password": ("密码 Password", "Password 密码"),
        "auth.submit": ("登录", "Sign in"),
        "auth.sso": ("使用单点登录（SSO）", "Sign in with single sign-on (SSO)"),
        "auth.or_local": ("或使用本地账户：", "Or with a local account:"),
        # The one answer to every refused sign-in (unknown user, wrong password, locked,
        # disabled): telling them apart would tell which usernames exist.
        "auth.bad_credentials": (
            "登录失败：用户名或密码错误，或账户已锁定或停用。请稍后重试，或联系管理员。",
            "Sign-in refused: wrong username or password, or the account is locked or "
            "disabled. Try again later, or call the administrator.",
        ),
        "auth.expired_idle": (
            "您已超过 {minutes} 分钟无操作，已自动退出，请重新登录。",
            "You were signed out after {minutes} {minutes:minute|minutes} without activity. "
            "Sign in again.",
        ),
        "auth.expired_absolute": (
            "登录已超过 {hours} 小时，已自动退出，请重新登录。",
            "You were signed out {hours} {hours:hour|hours} after signing in. Sign in again.",
        ),
        "auth.revoked": (
            "您的账户已被更改、停用、锁定或删除，已退出登录，请重新登录。",
            "Your account was changed, disabled, locked or removed; you have been signed "
            "out. Sign in again.",
        ),
        "auth.session_gone": (
            "本会话已在其他位置退出或失效，请重新登录。",
            "This session was signed out elsewhere or is no longer valid. Sign in again.",
        ),
        "auth.continuing": ("正在登录…", "Signing in…"),
        "auth.store_down": (
            "暂时无法验证登录（账户库不可用：{error}）。请稍后重试或联系管理员。",
            "Sign-in cannot be checked right now (account store unavailable: {error}). "
            "Try again later or call the administrator.",
        ),
        "auth.oidc_no_role": (
            "单点登录账户 {name} 未被授予本平台的任何角色，无法访问。请联系管理员。",
            "The single sign-on account {name} holds no role of this portal: nothing to "
            "open. Call the administrator.",
        ),
        "auth.missing_fields": ("请输入用户名和密码。", "Enter a username and a password."),
        "auth.signed_in_as": ("当前用户：{name}（{roles}）", "Signed in as {name} ({roles})"),
        "auth.scope_all": ("全部分支机构", "all branches"),
        "auth.scope_none": ("无分支机构权限", "no branch"),
        "auth.scope": ("数据范围：{branches}", "Data scope: {branches}"),
        "auth.sign_out": ("退出登录", "Sign out"),
        "auth.signed_out": ("您已退出登录。", "You have signed out."),
        "auth.refused": (
            "您没有访问「{page}」的权限。此页面面向：{roles}；您的角色：{mine}。",
            "You may not open “{page}”. This page serves: {roles}; your roles: {mine}.",
        ),
        "auth.nav": ("页面", "Pages"),
        "home.no_figures": (
            "您的角色不查看业务数据；请从左侧进入您负责的页面。",
            "Your roles do not see business figures; open your pages from the sidebar.",
        ),
        # user administration page
        "page.users": ("用户管理", "Users"),
        "users.list": ("账户列表", "Accounts"),
        "users.add": ("新增账户", "Add an account"),
        "users.username": ("用户名", "Username"),
        "users.display_name": ("显示名称", "Display name"),
        "users.roles": ("角色", "Roles"),
        "users.branches": (
            "分支机构（逗号分隔，留空 = 全部）",
            "Branches (comma-separated, empty = all)",
        ),
        "users.no_branches": ("不授予任何分支机构", "Grant no branch at all"),
        "users.password": (
            "初始密码（至少 {n} 位）",
            "Initial password ({n} {n:character|characters} or more)",
        ),
        "users.password_help": (
            "不能为空白，不能包含用户名，不能是重复或连续的字符（如 aaaa、abcd、1234），"
            "也不能是常见或已泄露的密码。",
            "Not blank, not holding the username, not repeated or sequential characters "
            "(aaaa, abcd, 1234), not a common or breached password.",
        ),
        "users.create": ("创建", "Create"),
        "users.created": ("已创建账户 {name}。", "Account {name} created."),
        "users.manage": ("停用 / 启用 / 重置密码", "Disable / enable / reset password"),
        "users.pick": ("选择账户", "Account"),
        "users.disable": ("停用", "Disable"),
        "users.enable": ("启用（并解除锁定）", "Enable (and unlock)"),
        "users.new_password": (
            "新密码（至少 {n} 位）",
            "New password ({n} {n:character|characters} or more)",
        ),
        "users.reset": ("重置密码", "Reset password"),
        "users.done": ("已更新账户 {name}。", "Account {name} updated."),
        "users.self": ("不能停用自己的账户。", "You cannot disable your own account."),
        "users.err.invalid_username": (
            "用户名只能包含字母、数字和 _.@-，最长 64 位。",
            "A username holds letters, digits and _.@- only, 64 at most.",
        ),
        "users.err.unknown_role": ("未知角色：{roles}。", "Unknown role(s): {roles}."),
        "users.err.no_role": ("请至少选择一个角色。", "Choose at least one role."),
        "users.err.short_password": (
            "密码至少需要 {n} 位。",
            "A password needs at least {n} {n:character|characters}.",
        ),
        "users.err.blank_password": (
            "密码不能为空白或只有空格。",
            "A password cannot be blank or only spaces.",
        ),
        "users.err.long_password": (
            "密码最多 {n} 位。",
            "A password has at most {n} {n:character|characters}.",
        ),
        "users.err.password_has_username": (
            "密码不能包含用户名（不区分大小写、忽略空格）。",
            "A password cannot contain the username (in any case, spaces ignored).",
        ),
        "users.err.repetitive_password": (
            "密码不能是同一字符或同一片段的重复（如 aaaa、abab），且至少含 4 个不同字符。",
            "A password cannot be one character or a pattern repeated (aaaa, abab), and needs "
            "4 different characters or more.",
        ),
        "users.err.sequential_password": (
            "密码不能是连续的字符序列（如 abcd…、1234…、qwer…）。",
            "A password cannot be a sequence such as abcd…, 1234… or qwer….",
        ),
        "users.err.common_password": (
            "该密码过于常见或已在泄露数据中出现（含大小写变化、前后加数字或符号），请另选。",
            "This password is common or known from breaches (also with other case, or digits "
            "or symbols added): choose another.",
        ),
        "users.err.exists": ("用户名 {name} 已存在。", "The username {name} is taken."),
        "users.err.no_user": ("没有账户 {name}。", "There is no account {name}."),
        "col.username": ("用户名", "Username"),
        "col.display_name": ("显示名称", "Display name"),
        "col.roles": ("角色", "Roles"),
        "col.branches": ("分支机构", "Branches"),
        "col.disabled": ("已停用", "Disabled"),
        "col.locked_until": ("锁定至（{zone}）", "Locked until ({zone})"),
    }
)
