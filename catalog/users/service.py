"""Users and their passwords (argon2id), with the binding each role needs.

A bureau user administers one or more regions; a provider user is bound to a provider;
enterprise and chain-leader users are bound to an enterprise. Services flush, never commit.
"""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, select

from catalog import limits as lim
from catalog.audit import service as audit
from catalog.enterprises.models import Enterprise
from catalog.errors import Conflict, NotFound, ValidationFailed
from catalog.language.text import clean_value
from catalog.providers.models import Provider
from catalog.users.models import Role, User
from catalog.validation import clean_uscc

MIN_PASSWORD_LENGTH = lim.PASSWORD_MIN_CHARS
MAX_PASSWORD_LENGTH = lim.PASSWORD_MAX_CHARS
_USERNAME = re.compile(r"^[A-Za-z0-9_.@\-]{3,64}$")
# What a new account's audit entry keeps: who it is and what it may reach, never the password hash.
AUDITED_ON_CREATE = ("username", "role", "display_name", "regions", "provider_id", "enterprise_id", "active")

ROLE_LABELS: dict[Role, str] = {
    Role.BUREAU: "主管部门",
    Role.PROVIDER: "服务商",
    Role.ENTERPRISE: "试点企业",
    Role.CHAIN_LEADER: "链主企业",
}


# argon2id at the OWASP password-storage minimum (19 MiB, 2 passes, 1 lane): ~0.1 s per hash on
# a busy 2-core machine, so a login costs little while offline guessing stays expensive.
ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_LANES = 2, 19456, 1


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES)


def hash_password(password: str) -> str:
    """An argon2id hash (with its own salt and parameters) of `password`."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Does `password` match `password_hash`? A malformed hash is a mismatch, never an error."""
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Was this hash made with weaker parameters than the current ones?"""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def refresh_hash(*, session: Session, user: User, password: str) -> None:
    """Make a password's hash anew when it was made with old parameters (flushes); a password
    that does not verify changes nothing."""
    if needs_rehash(user.password_hash) and verify_password(user.password_hash, password):
        user.password_hash = hash_password(password)
        session.add(user)
        session.flush()


def validate_password(password: str) -> None:
    """Reject passwords that are too short or too long (ValidationFailed)."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("password_too_short", f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed("password_too_long", f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符")


def _clean_username(username: str) -> str:
    name = (username or "").strip()
    if not _USERNAME.match(name):
        raise ValidationFailed(
            "bad_username", "用户名须为 3–64 个字符，只能包含英文字母、数字和 _ . @ -")
    return name


def clean_regions(regions: list[str] | None) -> list[str]:
    """A bureau's regions as stored: trimmed, blanks and repeats dropped, in the given order;
    each of 2 to 60 characters (a region is matched as a prefix: 江 would reach 江西 and 江苏
    alike), at most 20 (ValidationFailed otherwise)."""
    cleaned = list(dict.fromkeys(r for r in (clean_value(x) for x in regions or []) if r))
    if len(cleaned) > lim.BUREAU_REGION_ITEMS:
        raise ValidationFailed("too_many_regions", f"管辖地区最多 {lim.BUREAU_REGION_ITEMS} 个")
    for region in cleaned:
        if not lim.REGION_MIN_CHARS <= len(region) <= lim.REGION_CHARS:
            raise ValidationFailed("bad_region", f"管辖地区“{region[:lim.REGION_CHARS]}”应为 {lim.REGION_MIN_CHARS}～"
                                   f"{lim.REGION_CHARS} 个字符的地区名，如 江西省九江市")
    return cleaned


def _uscc(value: str) -> str:
    try:
        return clean_uscc(value)
    except ValueError as exc:
        raise ValidationFailed("bad_uscc", str(exc)) from None


def provider_id_by_uscc(*, session: Session, uscc: str) -> int:
    """The provider an account is bound to, named by its 统一社会信用代码 (ValidationFailed for a
    malformed code, NotFound for an unknown one)."""
    code = _uscc(uscc)
    found = session.exec(select(Provider.id).where(Provider.uscc == code)).first()
    if found is None:
        raise NotFound("not_found", f"找不到统一社会信用代码为 {code} 的服务商")
    return found


def enterprise_id_by_uscc(*, session: Session, uscc: str) -> int:
    """The enterprise an account is bound to, named by its 统一社会信用代码 (as `provider_id_by_uscc`)."""
    code = _uscc(uscc)
    found = session.exec(select(Enterprise.id).where(Enterprise.uscc == code)).first()
    if found is None:
        raise NotFound("not_found", f"找不到统一社会信用代码为 {code} 的企业")
    return found


def _check_binding(session: Session, role: Role, regions: list[str],
                   provider_id: int | None, enterprise_id: int | None) -> None:
    label = ROLE_LABELS[role]
    if role == Role.BUREAU and not regions:
        raise ValidationFailed("binding_missing", "主管部门账号必须指定管辖地区")
    if role != Role.BUREAU and regions:
        raise ValidationFailed("binding_mismatch", f"{label}账号不能指定管辖地区")
    if role == Role.PROVIDER:
        if provider_id is None:
            raise ValidationFailed("binding_missing", "服务商账号必须绑定一个服务商")
        if session.get(Provider, provider_id) is None:
            raise NotFound("provider_not_found", f"找不到编号为 {provider_id} 的服务商")
    elif provider_id is not None:
        raise ValidationFailed("binding_mismatch", f"{label}账号不能绑定服务商")
    if role in (Role.ENTERPRISE, Role.CHAIN_LEADER):
        if enterprise_id is None:
            raise ValidationFailed("binding_missing", f"{label}账号必须绑定一家企业")
        if session.get(Enterprise, enterprise_id) is None:
            raise NotFound("enterprise_not_found", f"找不到编号为 {enterprise_id} 的企业")
    elif enterprise_id is not None:
        raise ValidationFailed("binding_mismatch", f"{label}账号不能绑定企业")


def get_user_by_username(*, session: Session, username: str) -> User | None:
    """The user with this username (surrounding spaces ignored), or None."""
    return session.exec(select(User).where(User.username == (username or "").strip())).first()


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role | str,
    actor: str,
    display_name: str = "",
    regions: list[str] | None = None,
    provider_id: int | None = None,
    enterprise_id: int | None = None,
) -> User:
    """Create a user with a hashed password after checking its role binding; audited as
    `actor`'s (the password hash never enters the log); flushes."""
    try:
        role = Role(role)
    except ValueError:
        choices = "、".join(r.value for r in Role)
        raise ValidationFailed("bad_role", f"未知角色“{role}”，可选：{choices}") from None
    name = _clean_username(username)
    validate_password(password)
    cleaned_regions = clean_regions(regions)
    _check_binding(session, role, cleaned_regions, provider_id, enterprise_id)
    if get_user_by_username(session=session, username=name) is not None:
        raise Conflict("duplicate_username", f"用户名“{name}”已被使用")
    user = User(
        username=name, password_hash=hash_password(password), role=role.value,
        display_name=clean_value(display_name), regions=cleaned_regions,
        provider_id=provider_id, enterprise_id=enterprise_id,
    )
    session.add(user)
    session.flush()
    audit.append(session=session, actor=actor, action="create", record_type="user", record_key=str(user.id),
                 before=None, after={k: audit.jsonable(getattr(user, k)) for k in AUDITED_ON_CREATE})
    return user


def update_user(*, session: Session, user: User, by: User, display_name: str | None = None,
                regions: list[str] | None = None, active: bool | None = None) -> User:
    """Change an account's display name, regions (a bureau account's only, cleaned as on create)
    or whether it may log in; nobody disables their own account. Audited; flushes."""
    changes: dict[str, object] = {}
    if active is False and by.id == user.id:
        raise ValidationFailed("self_disable", "不能停用自己的账号")
    if regions is not None:
        if user.role != Role.BUREAU:
            raise ValidationFailed("regions_for_bureau", "只有主管部门账号有管辖地区")
        changes["regions"] = clean_regions(regions)
        if not changes["regions"]:
            raise ValidationFailed("binding_missing", "主管部门账号必须指定管辖地区")
    if display_name is not None:
        changes["display_name"] = clean_value(display_name)
    if active is not None:
        changes["active"] = bool(active)
    before = {k: audit.jsonable(getattr(user, k)) for k, v in changes.items() if getattr(user, k) != v}
    if not before:
        return user
    for name in before:
        setattr(user, name, changes[name])
    session.add(user)
    audit.append(session=session, actor=actor_of(by), action="update", record_type="user", record_key=str(user.id),
                 before=before, after={k: audit.jsonable(changes[k]) for k in before})
    session.flush()
    return user


def set_password(*, session: Session, user: User, password: str) -> User:
    """Replace a user's password (flushes)."""
    validate_password(password)
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return user


def change_own_password(*, session: Session, user: User, old_password: str, new_password: str) -> User:
    """A user's own password change: the old password must be right and the new one differ from
    it and pass `validate_password` (ValidationFailed otherwise); flushes."""
    if not verify_password(user.password_hash, old_password):
        raise ValidationFailed("wrong_password", "原密码不正确")
    if old_password == new_password:
        raise ValidationFailed("same_password", "新密码不能与原密码相同")
    return set_password(session=session, user=user, password=new_password)


def actor_of(user: User) -> str:
    """How a user is named in the audit log and as the author of a record, whichever door
    (API, page, CLI) the change came through: `role:username`."""
    return f"{user.role}:{user.username}"
