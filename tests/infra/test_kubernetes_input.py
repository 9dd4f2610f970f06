"""The Kubernetes target's keys under Pulumi's mocks: waitForReady, a managed database
(externalDatabaseUrl), and bad values stopping the program with one line naming the key."""

import secrets
from urllib.parse import quote

import pytest

from infra.config import StackConfigError, read_config
from infra.kubernetes.program import POD_SECURITY
from infra.references import is_image_reference
from infra.roles import api_password
from tests.infra.conftest import Registration, run_stack
from tests.infra.kubernetes import (
    DEPLOYMENT,
    JOB,
    NAMESPACE,
    SERVICE,
    SKIP_AWAIT,
    STATEFUL_SET,
    WORKLOADS,
    k8s_stack,
    secret_data,
)

OWNER_PASSWORD = secrets.token_urlsafe(9) + "@"
OWNER = quote(OWNER_PASSWORD)  # as a URL holds it (%40)
MANAGED = f"postgresql://owner:{OWNER}@db.example:6432/game?sslmode=require"


def annotations(resource: Registration) -> dict[str, str]:
    metadata = resource.plain("metadata") if resource.type.startswith("kubernetes:") else None
    return (metadata or {}).get("annotations") or {}


def test_workloads_are_awaited_unless_wait_for_ready_is_false(password: str) -> None:
    awaited = k8s_stack("live", password)
    assert not [r.name for r in awaited.registrations if SKIP_AWAIT in annotations(r)]
    skipped = k8s_stack("live", password, waitForReady="false")
    marked = {r.type for r in skipped.registrations if annotations(r).get(SKIP_AWAIT) == "true"}
    assert marked == {*WORKLOADS, SERVICE}
    assert skipped.one(JOB).urn in skipped.one(DEPLOYMENT).dependencies  # still ordered


def test_a_migration_job_left_failed_is_replaced_by_the_next_up_within_the_providers_wait(
    password: str,
) -> None:
    job = k8s_stack("live", password).one(JOB)
    assert annotations(job) == {"pulumi.com/replaceUnready": "true"}
    # Not awaited, an unfinished Job would be replaced at every `up`.
    unawaited = k8s_stack("live", password, waitForReady="false").one(JOB)
    assert "pulumi.com/replaceUnready" not in annotations(unawaited)
    retries = int(job.plain("spec")["backoffLimit"])
    assert sum(10 * 2**n for n in range(retries)) < 10 * 60  # the Job's back-off, in s


def test_a_managed_database_makes_no_postgres_objects_and_the_api_logs_in_as_its_role() -> None:
    run = k8s_stack("live", None, externalDatabaseUrl=MANAGED)
    assert not run.all(STATEFUL_SET)
    assert [r.name for r in run.all(SERVICE)] == ["backend-service"]
    namespace = run.one(NAMESPACE)
    assert not namespace.retain_on_delete  # no data in the cluster
    assert namespace.plain("metadata")["labels"][POD_SECURITY] == "restricted"
    data = secret_data(run)
    assert data == {
        "MIGRATION_DATABASE_URL": MANAGED,
        "DATABASE_URL": (
            f"postgresql://ossgameforge_app:{api_password(OWNER_PASSWORD)}@db.example:6432/game"
            "?sslmode=require"
        ),
    }
    assert run.outputs["database_url"] == data["DATABASE_URL"]
    assert run.secret_outputs == {"database_url"}
    assert JOB in run.types()


@pytest.mark.parametrize(
    ("stack", "values", "password", "line"),
    [
        ("mock", {"replicas": "0"}, None,
         "ossgameforge:replicas must be a whole number from 1, got '0'"),
        ("mock", {"replicas": "-2"}, None,
         "ossgameforge:replicas must be a whole number from 1, got '-2'"),
        ("mock", {"replicas": "two"}, None,
         "ossgameforge:replicas must be a whole number from 1, got 'two'"),
        ("mock", {"backendImage": "Registry/Backend:dev"}, None,
         "ossgameforge:backendImage must be an image reference such as "
         "registry.example:5000/ossgameforge-backend:1.0, got 'Registry/Backend:dev'"),
        ("live", {"postgresImage": "postgres:17 "}, "pw",
         "ossgameforge:postgresImage must be an image reference such as "
         "registry.example:5000/ossgameforge-backend:1.0, got 'postgres:17 '"),
        ("live", {}, None,
         "ossgameforge:dbPassword is not set: `pulumi config set --secret dbPassword`, or set "
         "ossgameforge:externalDatabaseUrl to the owner's URL of a managed database"),
        ("mock", {"target": "k8s"}, None,
         "ossgameforge:target must be docker or kubernetes, got 'k8s'"),
        ("live", {"externalDatabaseUrl": "db.example:5432/game"}, None,
         "ossgameforge:externalDatabaseUrl must be postgresql://USER:PASSWORD@HOST[:PORT]/DATABASE"
         " (the value is secret: not shown)"),
        ("live", {"externalDatabaseUrl": f"postgresql://ossgameforge_app:{OWNER}@db/game"}, None,
         "ossgameforge:externalDatabaseUrl names the API's role 'ossgameforge_app': give the "
         "owner's URL (the value is secret: not shown)"),
        ("mock", {"reload": "true"}, None,
         "ossgameforge:reload mounts this machine's checkout, which a cluster can't: unset it, or "
         "set ossgameforge:target to docker"),
    ],
)  # fmt: skip
def test_bad_input_stops_the_program_with_one_line_naming_the_key(
    stack: str, values: dict[str, str], password: str | None, line: str
) -> None:
    with pytest.raises(StackConfigError) as error:
        run_stack(stack, password=password, extra={"target": "kubernetes", **values})
    assert str(error.value) == line
    assert "\n" not in str(error.value)


def test_a_stack_whose_name_is_no_namespace_name_is_refused_on_kubernetes() -> None:
    values = {"target": "kubernetes"}
    with pytest.raises(StackConfigError, match="namespace would be 'ossgameforge-Live_1', which"):
        read_config(values.get, prefix="ossgameforge-Live_1", environ={})
    unset: dict[str, str] = {}
    assert read_config(unset.get, prefix="ossgameforge-Live_1", environ={}).target == "docker"


@pytest.mark.parametrize(
    "image",
    ["postgres:17", "ossgameforge/backend:live-0123456789ab", "registry.example:5000/a/b:1.0",
     "localhost/x", f"x@sha256:{'a' * 64}", "ghcr.io/o/r:v1@sha256:" + "0" * 64],
)  # fmt: skip
def test_image_references_the_registries_accept_are_accepted(image: str) -> None:
    assert is_image_reference(image)


@pytest.mark.parametrize(
    "image", ["", "Backend", "a//b", "a:b:c", "-a", "a:", "a@sha256:zz", "a b", "a/b:" + "t" * 129]
)
def test_malformed_image_references_are_refused(image: str) -> None:
    assert not is_image_reference(image)
