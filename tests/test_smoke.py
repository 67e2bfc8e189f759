from sqlmodel import Session, select

from catalog.providers.models import Provider


def test_empty_database_has_no_providers(session: Session) -> None:
    assert session.exec(select(Provider)).all() == []
