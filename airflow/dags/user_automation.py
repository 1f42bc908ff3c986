"""
### user_automation

Every run lands one batch of users from the randomuser API in PostgreSQL and proves that the batch
reached Cassandra:

1. **ingest_users** fetches `users` users with a seed derived from the run id, so a retry fetches
   the same users again and lands none twice.
2. **await_delivery** waits until every user of the batch can be read in Cassandra; when they do not
   arrive in time, it fails naming the stage where they are stuck (CDC, the Spark job, the dead-letter
   topic).
3. **reconcile** compares the batch in PostgreSQL and in Cassandra: counts and a checksum of the ids.

Each task runs one `pipeline` subcommand (the logic is Java) and keeps its one-line JSON summary as
the task's XCom.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.sdk import DAG, Param, get_current_context, task

DAG_ID = "user_automation"

# The stack that starts Airflow says where its CLI and settings are; these defaults serve a checkout.
PIPELINE_CLI = os.environ.get("PIPELINE_CLI", str(Path(__file__).resolve().parents[2] / "pipeline"))
SCHEDULE = os.environ.get("PIPELINE_AIRFLOW_DAG_SCHEDULE", "* * * * *")
DEFAULT_USERS = int(os.environ.get("PIPELINE_AIRFLOW_DAG_USERS", "1000"))
DEFAULT_AWAIT_SECONDS = int(os.environ.get("PIPELINE_AIRFLOW_DAG_AWAIT_SECONDS", "300"))


def seed_for(run_id: str) -> str:
    """The API seed of a run: the same run id always fetches the same users."""
    return hashlib.sha256(run_id.encode("utf-8")).hexdigest()[:16]


def ingest_command(run_id: str, params: dict) -> list[str]:
    command = [PIPELINE_CLI, "ingest", "--count", str(params["users"]), "--seed", seed_for(run_id),
               "--batch-id", run_id, "--json"]
    if params.get("source"):
        command += ["--source", params["source"]]
    if params.get("nat"):
        command += ["--nat", params["nat"].upper()]
    return command


def await_command(batch_id: str, timeout_seconds: int) -> list[str]:
    return [PIPELINE_CLI, "await-delivery", "--batch-id", batch_id, "--timeout", str(timeout_seconds), "--json"]


def reconcile_command(batch_id: str) -> list[str]:
    return [PIPELINE_CLI, "reconcile", "--batch-id", batch_id, "--json"]


def summary_of(stdout: str) -> dict:
    """The subcommand's summary: the last non-empty line of what it printed, a JSON object."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        raise RuntimeError("the command printed no summary line")
    try:
        summary = json.loads(lines[-1])
    except json.JSONDecodeError as error:
        raise RuntimeError(f"the command's last line is not a JSON summary: {lines[-1][:200]!r} ({error})") from None
    if not isinstance(summary, dict):
        raise RuntimeError(f"the command's summary is not a JSON object: {lines[-1][:200]!r}")
    return summary


def run_pipeline(command: list[str]) -> dict:
    """Runs one subcommand; its progress (stderr) goes to the task log live, its summary becomes the XCom."""
    print("$ " + shlex.join(command), flush=True)
    finished = subprocess.run(command, stdout=subprocess.PIPE, stderr=None, text=True, check=False)
    if finished.stdout.strip():
        print(finished.stdout.rstrip(), flush=True)
    if finished.returncode != 0:
        try:
            reason = summary_of(finished.stdout).get("error", "")
        except RuntimeError:
            reason = ""
        raise RuntimeError(f"{command[1]} failed with exit code {finished.returncode}" + (f": {reason}" if reason else ""))
    return summary_of(finished.stdout)


with DAG(
    dag_id=DAG_ID,
    description="Land a batch of users from the randomuser API and prove it reached Cassandra",
    doc_md=__doc__,
    schedule=SCHEDULE,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    tags=["pipeline"],
    params={
        "users": Param(DEFAULT_USERS, type="integer", minimum=1, maximum=1_000_000,
                       description="Users to fetch and land in this run"),
        "source": Param("", type="string",
                        description="randomuser, offline or an API URL; empty: the source the stack was started with"),
        "nat": Param("", type="string", pattern=r"^([A-Za-z]{2}(,[A-Za-z]{2})*)?$",
                     description="Nationalities, e.g. IR,UA,RS; empty: all"),
        "await_timeout": Param(DEFAULT_AWAIT_SECONDS, type="integer", minimum=5, maximum=3600,
                               description="Seconds await_delivery waits for the batch in Cassandra, per try"),
    },
    default_args={
        "retries": 3,
        "retry_delay": timedelta(seconds=15),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=5),
    },
) as dag:

    @task(execution_timeout=timedelta(minutes=30))
    def ingest_users() -> dict:
        context = get_current_context()
        return run_pipeline(ingest_command(context["run_id"], context["params"]))

    @task(execution_timeout=timedelta(hours=1, minutes=5))
    def await_delivery(landed: dict) -> dict:
        context = get_current_context()
        return run_pipeline(await_command(landed["batch_id"], context["params"]["await_timeout"]))

    @task(execution_timeout=timedelta(minutes=10))
    def reconcile(delivered: dict) -> dict:
        return run_pipeline(reconcile_command(delivered["batch_id"]))

    reconcile(await_delivery(ingest_users()))
