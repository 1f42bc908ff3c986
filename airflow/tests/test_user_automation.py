"""The DAG's own tests: it imports, has the shape the pipeline relies on, and builds the right commands."""

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest

DAG_FILE = Path(__file__).resolve().parents[1] / "dags" / "user_automation.py"


@pytest.fixture(scope="module")
def module():
    spec = importlib.util.spec_from_file_location("user_automation", DAG_FILE)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def test_dag_shape(module):
    dag = module.dag
    assert dag.dag_id == "user_automation"
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert module.SCHEDULE == "* * * * *"
    assert type(dag.timetable).__name__ == "CronTriggerTimetable"
    assert dag.timetable.expression == "* * * * *"
    assert [t.task_id for t in dag.topological_sort()] == ["ingest_users", "await_delivery", "reconcile"]
    for task in dag.tasks:
        assert task.retries == 3
        assert task.retry_exponential_backoff
        assert task.retry_delay == timedelta(seconds=15)


def test_params_editable_in_the_ui(module):
    params = module.dag.params
    assert params["users"] == 1000
    assert params["source"] == ""
    assert params["nat"] == ""
    assert params["await_timeout"] == 300
    users = params.get_param("users")
    assert users.resolve(500) == 500
    with pytest.raises(Exception, match="minimum"):
        users.resolve(0)
    with pytest.raises(Exception, match="does not match"):
        params.get_param("nat").resolve("Iran")


def test_seed_is_a_function_of_the_run_id(module):
    first = module.seed_for("scheduled__2026-11-25T10:00:00+00:00")
    assert first == module.seed_for("scheduled__2026-11-25T10:00:00+00:00")
    assert first != module.seed_for("scheduled__2026-11-25T10:01:00+00:00")
    assert len(first) == 16


def test_ingest_command_carries_seed_batch_and_choices(module):
    command = module.ingest_command("manual__x", {"users": 250, "source": "offline", "nat": "ir,ua"})
    assert command[1:] == ["ingest", "--count", "250", "--seed", module.seed_for("manual__x"), "--batch-id", "manual__x",
                           "--json", "--source", "offline", "--nat", "IR,UA"]
    plain = module.ingest_command("manual__x", {"users": 5, "source": "", "nat": ""})
    assert "--source" not in plain and "--nat" not in plain


def test_delivery_commands(module):
    assert module.await_command("b1", 30)[1:] == ["await-delivery", "--batch-id", "b1", "--timeout", "30", "--json"]
    assert module.reconcile_command("b1")[1:] == ["reconcile", "--batch-id", "b1", "--json"]


def test_summary_is_the_last_json_line(module):
    assert module.summary_of('progress\n{"batch_id": "b1", "delivered": 3}\n\n') == {"batch_id": "b1", "delivered": 3}
    with pytest.raises(RuntimeError, match="no summary"):
        module.summary_of("\n")
    with pytest.raises(RuntimeError, match="not a JSON summary"):
        module.summary_of("Exception in thread main")
