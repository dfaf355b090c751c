import pytest

from safeguarding.accounts.roles import Role
from tests import factories


@pytest.fixture
def partnership(db):
    return factories.partnership("Testshire")


@pytest.fixture
def other_partnership(db):
    return factories.partnership("Elsewhere")


@pytest.fixture
def as_role(client, partnership):
    """as_role(Role.ADMIN) -> a test client signed in as a member holding that role."""

    def sign_in(role, p=None):
        user = factories.person(p or partnership, role)
        return factories.sign_in(client, user)

    return sign_in


@pytest.fixture
def admin_client(as_role):
    return as_role(Role.ADMIN)
