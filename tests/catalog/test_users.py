"""catalog.users.service: password hashing and user creation with role bindings, on real databases."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from catalog_builders import make_enterprise, make_provider
from sqlmodel import Session

from catalog.errors import Conflict, NotFound, ValidationFailed
from catalog.users import service as users
from catalog.users.models import Role

PASSWORD = "correct horse 1"


def test_hash_and_verify() -> None:
    hashed = users.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert users.verify_password(hashed, PASSWORD)
    assert not users.verify_password(hashed, PASSWORD + "x")
    assert users.hash_password(PASSWORD) != hashed  # a fresh salt every time
    assert users.verify_password(users.hash_password("密码也可以是中文的"), "密码也可以是中文的")


@pytest.mark.parametrize("bad_hash", ["", "not-a-hash", "$argon2id$v=19$m=19456,t=2,p=1$broken", "$2b$12$abc"])
def test_a_malformed_hash_never_verifies_and_never_raises(bad_hash: str) -> None:
    assert users.verify_password(bad_hash, PASSWORD) is False


def test_needs_rehash_detects_old_parameters() -> None:
    assert not users.needs_rehash(users.hash_password(PASSWORD))
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    assert users.needs_rehash(weak)
    assert users.needs_rehash("not-a-hash")


def test_a_hash_made_with_old_parameters_is_made_anew(session: Session) -> None:
    user = users.create_user(session=session, actor="tester", username="old_hash", password=PASSWORD, role=Role.BUREAU,
                             regions=["江西省九江市"])
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    users.refresh_hash(session=session, user=user, password=PASSWORD)
    assert not users.needs_rehash(user.password_hash) and users.verify_password(user.password_hash, PASSWORD)
    assert users.verify_password(user.password_hash, PASSWORD)


def test_create_user_for_every_role(session: Session) -> None:
    provider = make_provider(session, "p1")
    enterprise = make_enterprise(session, "e1")
    bureau = users.create_user(session=session, actor="tester", username=" jj_bureau ", password=PASSWORD, role=Role.BUREAU,
                               display_name="九江市工信局", regions=["江西省九江市", "江西省九江市", " "])
    assert bureau.id is not None and bureau.username == "jj_bureau" and bureau.regions == ["江西省九江市"]
    made = [
        users.create_user(session=session, actor="tester", username="prov", password=PASSWORD, role=Role.PROVIDER,
                          provider_id=provider.id),
        users.create_user(session=session, actor="tester", username="ent", password=PASSWORD, role="enterprise",
                          enterprise_id=enterprise.id),
        users.create_user(session=session, actor="tester", username="leader", password=PASSWORD, role=Role.CHAIN_LEADER,
                          enterprise_id=enterprise.id),
    ]
    session.commit()
    assert [u.role for u in made] == ["provider", "enterprise", "chain_leader"]
    found = users.get_user_by_username(session=session, username="leader ")
    assert found is not None and found.enterprise_id == enterprise.id
    assert users.verify_password(found.password_hash, PASSWORD)
    assert users.get_user_by_username(session=session, username="nobody") is None


@pytest.mark.parametrize(
    ("role", "binding", "message"),
    [
        (Role.BUREAU, {}, "管辖地区"),
        (Role.PROVIDER, {}, "绑定一个服务商"),
        (Role.ENTERPRISE, {}, "绑定一家企业"),
        (Role.CHAIN_LEADER, {}, "绑定一家企业"),
        (Role.BUREAU, {"regions": ["江西省九江市"], "provider": True}, "不能绑定服务商"),
        (Role.PROVIDER, {"provider": True, "enterprise": True}, "不能绑定企业"),
        (Role.ENTERPRISE, {"enterprise": True, "regions": ["江西省九江市"]}, "不能指定管辖地区"),
    ],
)
def test_the_binding_must_fit_the_role(session: Session, role: Role, binding: dict, message: str) -> None:
    kwargs: dict = {"regions": binding.get("regions")}
    if binding.get("provider"):
        kwargs["provider_id"] = make_provider(session, "p1").id
    if binding.get("enterprise"):
        kwargs["enterprise_id"] = make_enterprise(session, "e1").id
    with pytest.raises(ValidationFailed) as caught:
        users.create_user(session=session, actor="tester", username="someone", password=PASSWORD, role=role, **kwargs)
    assert message in caught.value.message
    assert users.get_user_by_username(session=session, username="someone") is None


def test_a_binding_to_a_missing_record_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="服务商"):
        users.create_user(session=session, actor="tester", username="ghost", password=PASSWORD, role=Role.PROVIDER, provider_id=9999)
    with pytest.raises(NotFound, match="企业"):
        users.create_user(session=session, actor="tester", username="ghost", password=PASSWORD, role=Role.ENTERPRISE,
                          enterprise_id=9999)


def test_duplicate_username_is_a_conflict(session: Session) -> None:
    users.create_user(session=session, actor="tester", username="twice", password=PASSWORD, role=Role.BUREAU, regions=["河南省新乡市"])
    session.commit()
    with pytest.raises(Conflict) as caught:
        users.create_user(session=session, actor="tester", username="twice", password=PASSWORD, role=Role.BUREAU,
                          regions=["河南省新乡市"])
    assert caught.value.status == 409 and "已被使用" in caught.value.message


@pytest.mark.parametrize(("username", "password", "message"), [
    ("shorty", "1234567", "至少需要 8 个字符"),
    ("toolong", "x" * 257, "不能超过"),
    ("a", PASSWORD, "用户名"),
    ("有 空格", PASSWORD, "用户名"),
])
def test_bad_passwords_and_usernames_are_rejected(session: Session, username: str, password: str,
                                                  message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        users.create_user(session=session, actor="tester", username=username, password=password, role=Role.BUREAU,
                          regions=["江西省九江市"])
    assert caught.value.status == 422 and message in caught.value.message


def test_unknown_role_is_rejected(session: Session) -> None:
    with pytest.raises(ValidationFailed, match="未知角色"):
        users.create_user(session=session, actor="tester", username="wizard", password=PASSWORD, role="wizard")


def test_set_password_replaces_the_hash(session: Session) -> None:
    user = users.create_user(session=session, actor="tester", username="changer", password=PASSWORD, role=Role.BUREAU,
                             regions=["江西省九江市"])
    with pytest.raises(ValidationFailed):
        users.set_password(session=session, user=user, password="short")
    users.set_password(session=session, user=user, password="a brand new one")
    session.commit()
    assert users.verify_password(user.password_hash, "a brand new one")
    assert not users.verify_password(user.password_hash, PASSWORD)
