from tests.staff.conftest import editor, editor_client, manager, manager_client, manager_group  # noqa: F401
