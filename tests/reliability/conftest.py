import pytest

from tests.reliability.instance import Instances


@pytest.fixture(scope="session")
def instances(tmp_path_factory):
    """Makes separate instances of the system (copies of one migrated demo instance) for this run."""
    made = Instances(tmp_path_factory.mktemp("reliability"))
    yield made
    made.close()
