from tests.mail import mailbox  # noqa: F401 - a fixture
