"""Configuration from ``INVESTENV_*`` environment variables.

Every setting has an environment variable; ``create_app(config=...)`` may override any of them
(tests do).  Development mode keeps a generated secret key in the instance folder so that sessions
survive restarts; production mode refuses to start without ``INVESTENV_SECRET_KEY``.
"""
from __future__ import annotations

import os
import secrets
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message says which and how to fix it."""


ENV_VARS = {
    "INVESTENV_ENV": "development 或 production（默认 development）",
    "INVESTENV_DATABASE_URL": "数据库地址，默认实例目录下的 SQLite 文件",
    "INVESTENV_SECRET_KEY": "会话签名密钥；production 模式必须设置",
    "INVESTENV_INSTANCE_PATH": "实例目录（数据库、上传文件），默认 ./instance",
    "INVESTENV_UPLOAD_MAX_MB": "单个上传文件大小上限（MB），默认 10",
    "INVESTENV_LOGIN_MAX_FAILURES": "同一地址对同一账号登录失败多少次后暂停该地址登录该账号，默认 5",
    "INVESTENV_LOGIN_ADDRESS_FAILURES": "同一地址（不论账号）登录失败多少次后暂停该地址登录，默认 30",
    "INVESTENV_LOGIN_ACCOUNT_FAILURES": "从未登录过该账号的浏览器合计失败多少次后暂停它们登录该账号，默认 20",
    "INVESTENV_LOGIN_LOCK_MINUTES": "以上计数的时间窗口与暂停时长（分钟），默认 15",
    "INVESTENV_TRUSTED_PROXIES": "网站前面可信的反向代理层数（如 nginx 为 1），据此读取 X-Forwarded-For；默认 0",
    "INVESTENV_BASE_URL": "对外网址，用于邀请函和导出的问卷链接，默认取当前请求的地址",
    "INVESTENV_CJK_FONT": "PDF 使用的中文 TrueType 字体文件，默认文泉驿微米黑",
    "INVESTENV_FEEDBACK_CADENCE": "测评点反馈周期：quarter（季度，默认）、month（月）或 half（半年）",
    "INVESTENV_OBJECTION_DAYS": "综合测评结果发布后，市州可在多少个工作日内提出复核申请，默认 10",
    "INVESTENV_MAIL_URL": "发信服务器：smtp://用户:口令@主机:端口（明文，默认端口 25）、smtp+starttls://…（默认 587）"
                          "或 smtps://…（默认 465）；不设置则邮件留在发件箱中不发送",
    "INVESTENV_MAIL_FROM": "发件人，如 投资环境投诉服务中心 <noreply@example.gov.cn>；设置了 INVESTENV_MAIL_URL 时必须设置",
    "INVESTENV_SMS_BACKEND": "短信网关：console（打印到日志，默认）、file:/路径（每条一行 JSON）或 模块:类（自行实现的网关适配器）",
    "INVESTENV_ONLINE_LIMIT_PER_ADDRESS": "同一地址每天最多在线提交多少件投诉，默认 5",
    "INVESTENV_ONLINE_LIMIT_PER_ENTERPRISE": "同一企业每天最多在线提交多少件投诉，默认 3",
    "INVESTENV_ONLINE_MIN_SECONDS": "在线投诉表单从打开到提交至少需要的秒数（过快视为机器提交），默认 5",
}

MAIL_SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


def _int_env(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} 必须是整数，当前值为 {raw!r}") from None
    if value < minimum:
        rule = "必须大于 0" if minimum == 1 else f"不能小于 {minimum}"
        raise ConfigError(f"{name} {rule}，当前值为 {value}")
    return value


def _choice_env(name: str, allowed: tuple[str, ...]) -> str:
    value = os.environ.get(name) or allowed[0]
    if value not in allowed:
        raise ConfigError(f"{name} 只能是 {'、'.join(allowed)}，当前值为 {value!r}")
    return value


def mail_settings(url: str | None, sender: str | None) -> dict | None:
    """The SMTP server of ``INVESTENV_MAIL_URL`` (scheme, host, port, user, password, sender), or
    None when no server is configured; ``ConfigError`` says what is wrong with either setting."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in MAIL_SCHEMES:
        raise ConfigError(f"INVESTENV_MAIL_URL 必须以 {'://、'.join(MAIL_SCHEMES)}:// 开头，当前值的协议为 {parts.scheme!r}")
    try:
        port = parts.port or MAIL_SCHEMES[parts.scheme]
    except ValueError:
        raise ConfigError("INVESTENV_MAIL_URL 的端口必须是 1–65535 的整数") from None
    if not parts.hostname:
        raise ConfigError("INVESTENV_MAIL_URL 缺少主机名，例如 smtp+starttls://user:pass@mail.example.gov.cn:587")
    _, address = parseaddr(sender or "")
    if "@" not in address or any(c.isspace() for c in address):
        raise ConfigError("设置了 INVESTENV_MAIL_URL 时，INVESTENV_MAIL_FROM 必须是发件地址，"
                          f"如 投资环境投诉服务中心 <noreply@example.gov.cn>；当前值为 {sender!r}")
    return {"scheme": parts.scheme, "host": parts.hostname, "port": port,
            "user": unquote(parts.username or ""), "password": unquote(parts.password or ""), "sender": sender}


def sms_backend(spec: str | None) -> str:
    """``INVESTENV_SMS_BACKEND``: ``console``, ``file:<path>`` or ``<module>:<class>``."""
    value = spec or "console"
    if value == "console" or (value.startswith("file:") and len(value) > 5):
        return value
    module, _, name = value.partition(":")
    if module and name.isidentifier() and all(p.isidentifier() for p in module.split(".")):
        return value
    raise ConfigError(f"INVESTENV_SMS_BACKEND 只能是 console、file:/路径 或 模块:类，当前值为 {value!r}")


def from_environment(instance_path: Path) -> dict:
    """Read the settings that the environment defines, with their defaults."""
    env = os.environ.get("INVESTENV_ENV", "development")
    if env not in ("development", "production"):
        raise ConfigError(f"INVESTENV_ENV 只能是 development 或 production，当前值为 {env!r}")
    upload_mb = _int_env("INVESTENV_UPLOAD_MAX_MB", 10)
    return {
        "ENV_MODE": env,
        "SECRET_KEY": os.environ.get("INVESTENV_SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("INVESTENV_DATABASE_URL")
        or f"sqlite:///{instance_path / 'investenv.db'}",
        "UPLOAD_MAX_BYTES": upload_mb * 1024 * 1024,
        # The request limit leaves room for the multipart envelope around one file.
        "MAX_CONTENT_LENGTH": upload_mb * 1024 * 1024 + 64 * 1024,
        "LOGIN_MAX_FAILURES": _int_env("INVESTENV_LOGIN_MAX_FAILURES", 5),
        "LOGIN_ADDRESS_FAILURES": _int_env("INVESTENV_LOGIN_ADDRESS_FAILURES", 30),
        "LOGIN_ACCOUNT_FAILURES": _int_env("INVESTENV_LOGIN_ACCOUNT_FAILURES", 20),
        "TRUSTED_PROXIES": _int_env("INVESTENV_TRUSTED_PROXIES", 0, minimum=0),
        "LOGIN_LOCK_MINUTES": _int_env("INVESTENV_LOGIN_LOCK_MINUTES", 15),
        "BASE_URL": (os.environ.get("INVESTENV_BASE_URL") or "").rstrip("/") or None,
        "FEEDBACK_CADENCE": _choice_env("INVESTENV_FEEDBACK_CADENCE", ("quarter", "month", "half")),
        "OBJECTION_DAYS": _int_env("INVESTENV_OBJECTION_DAYS", 10),
        "MAIL": mail_settings(os.environ.get("INVESTENV_MAIL_URL"), os.environ.get("INVESTENV_MAIL_FROM")),
        "SMS_BACKEND": sms_backend(os.environ.get("INVESTENV_SMS_BACKEND")),
        "ONLINE_LIMIT_PER_ADDRESS": _int_env("INVESTENV_ONLINE_LIMIT_PER_ADDRESS", 5),
        "ONLINE_LIMIT_PER_ENTERPRISE": _int_env("INVESTENV_ONLINE_LIMIT_PER_ENTERPRISE", 3),
        "ONLINE_MIN_SECONDS": _int_env("INVESTENV_ONLINE_MIN_SECONDS", 5, minimum=0),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_SECURE": env == "production",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    }


def ensure_secret_key(config: dict, instance_path: Path) -> None:
    """Fill ``SECRET_KEY``: required in production, generated once per instance in development."""
    if config.get("SECRET_KEY"):
        return
    if config["ENV_MODE"] == "production":
        raise ConfigError(
            "生产模式（INVESTENV_ENV=production）必须设置 INVESTENV_SECRET_KEY，"
            "例如：export INVESTENV_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    config["SECRET_KEY"] = key_file.read_text().strip()
