"""The Kubernetes target's resource graph (ossgameforge:target kubernetes), under Pulumi's mocks:
which objects each stack makes, how its Pods run, and what `destroy` keeps."""

from urllib.parse import quote

import pytest

from infra.kubernetes.program import POD_SECURITY
from infra.roles import api_password
from tests.infra.conftest import OFFLINE_IMAGES, StackRun, auto_name
from tests.infra.kubernetes import (
    DEPLOYMENT,
    JOB,
    NAMESPACE,
    PDB,
    SECRET_TYPE,
    SERVICE,
    STATEFUL_SET,
    env,
    k8s_stack,
    pod_spec,
    secret_data,
    the_container,
)
from tests.stack_files import stack_file

STACK = "pulumi:pulumi:Stack"
COMPONENTS = {
    name: f"ossgameforge:kubernetes:{name}" for name in ("Backend", "Postgres", "Migrations")
}
LIVE = stack_file("live")
SECRET_NAME = auto_name("database")  # named by the provider: a new name when the data changes


@pytest.fixture(scope="module")
def live(password: str) -> StackRun:
    return k8s_stack("live", password)


@pytest.fixture(scope="module")
def mock() -> StackRun:
    return k8s_stack("mock", None)


def test_live_makes_a_namespace_secret_postgres_migration_job_and_backend(live: StackRun) -> None:
    assert live.types() == sorted([
        STACK, NAMESPACE, SECRET_TYPE, *COMPONENTS.values(), STATEFUL_SET, SERVICE, JOB,
        DEPLOYMENT, SERVICE, PDB,
    ])  # fmt: skip


def test_mock_makes_the_backend_alone_in_mock_mode(mock: StackRun) -> None:
    backend = [COMPONENTS["Backend"], DEPLOYMENT, SERVICE, PDB]
    assert mock.types() == sorted([STACK, NAMESPACE, *backend])
    assert env(mock.one(DEPLOYMENT))["MOCK_MODE"] == "true"
    assert not [value for value in env(mock.one(DEPLOYMENT)).values() if "secret:" in value]


@pytest.mark.parametrize("stack", ["live", "mock"])
def test_every_object_is_in_the_stacks_namespace_under_its_component(
    stack: str, request: pytest.FixtureRequest
) -> None:
    run: StackRun = request.getfixturevalue(stack)
    assert run.one(NAMESPACE).plain("metadata")["name"] == f"ossgameforge-{stack}"
    components = {r.urn: r.name for r in run.registrations if r.type in COMPONENTS.values()}
    for resource in run.registrations:
        if resource.type.startswith("kubernetes:") and resource.type != NAMESPACE:
            assert resource.plain("metadata")["namespace"] == f"ossgameforge-{stack}"
            if resource.type != SECRET_TYPE:  # shared by the three
                assert components[resource.parent] == resource.name.split("-")[0]


@pytest.mark.parametrize("stack", ["live", "mock"])
def test_selectors_match_their_own_pods_labels_and_no_others(
    stack: str, request: pytest.FixtureRequest
) -> None:
    run: StackRun = request.getfixturevalue(stack)
    templates = {
        w.name: w.plain("spec")["template"]["metadata"]["labels"]
        for w in run.registrations
        if w.type in (DEPLOYMENT, STATEFUL_SET, JOB)
    }
    deployment, backend = run.one(DEPLOYMENT), templates["backend-deployment"]
    assert deployment.plain("spec")["selector"]["matchLabels"] == backend
    assert run.one(PDB).plain("spec")["selector"]["matchLabels"] == backend
    assert run.one(SERVICE, "backend-service").plain("spec")["selector"] == backend
    for labels in templates.values():
        assert labels["app.kubernetes.io/instance"] == f"ossgameforge-{stack}"
    if stack == "live":
        postgres = templates["postgres-statefulset"]
        assert run.one(STATEFUL_SET).plain("spec")["selector"]["matchLabels"] == postgres
        assert run.one(SERVICE, "postgres-service").plain("spec")["selector"] == postgres
        assert len({tuple(sorted(labels.items())) for labels in templates.values()}) == 3


def test_backend_probes_ready_and_live_over_http_on_its_port(live: StackRun) -> None:
    container = the_container(live.one(DEPLOYMENT))
    assert container["ports"] == [{"name": "http", "containerPort": 8000}]
    assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": 8000}
    assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": 8000}
    # Docker's 30 s start period: liveness counts after /health/live answered once.
    startup = container["startupProbe"]
    assert startup["httpGet"]["path"] == "/health/live"
    assert startup["periodSeconds"] * startup["failureThreshold"] == 30
    service = live.one(SERVICE, "backend-service").plain("spec")
    assert service["ports"] == [{"name": "http", "port": 8000, "targetPort": "http"}]


@pytest.mark.parametrize("workload", [DEPLOYMENT, JOB])
def test_the_apps_pods_run_as_uid_10001_read_only_without_privileges(
    live: StackRun, workload: str
) -> None:
    container = the_container(live.one(workload))
    assert container["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "readOnlyRootFilesystem": True,
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    spec = pod_spec(live.one(workload))
    assert {"name": "tmp", "emptyDir": {}} in spec["volumes"]
    assert (spec["automountServiceAccountToken"], spec["enableServiceLinks"]) == (False, False)
    assert set(container["resources"]) == {"requests", "limits"}


@pytest.mark.parametrize(("replicas", "budget"), [(None, 1), ("3", 1), ("1", None)])
def test_replicas_default_to_two_and_a_budget_keeps_one_when_there_are_more(
    password: str, replicas: str | None, budget: int | None
) -> None:
    run = k8s_stack("mock", password, **({"replicas": replicas} if replicas else {}))
    assert run.one(DEPLOYMENT).plain("spec")["replicas"] == int(replicas or 2)
    budgets = run.all(PDB)
    assert [b.plain("spec")["minAvailable"] for b in budgets] == ([budget] if budget else [])


def test_passwords_and_urls_are_one_secret_each_pod_reads_only_its_own(
    live: StackRun, password: str
) -> None:
    assert live.one(SECRET_TYPE).secret("stringData")
    data = secret_data(live)
    owner = f"postgresql://{LIVE['dbUser']}:{quote(password, safe='')}@ossgameforge-live-postgres:"
    assert data["MIGRATION_DATABASE_URL"].startswith(owner)
    assert f":{api_password(password)}@ossgameforge-live-postgres:" in data["DATABASE_URL"]
    assert data["POSTGRES_PASSWORD"] == password
    ref = {key: f"secret:{SECRET_NAME}/{key}" for key in data}
    assert {k: v for k, v in env(live.one(DEPLOYMENT)).items() if "secret:" in v} == {
        "DATABASE_URL": ref["DATABASE_URL"]
    }
    job = {k: v for k, v in env(live.one(JOB)).items() if "secret:" in v}
    assert job == {key: ref[key] for key in ("MIGRATION_DATABASE_URL", "DATABASE_URL")}
    postgres = {k: v for k, v in env(live.one(STATEFUL_SET)).items() if "secret:" in v}
    assert postgres == {"POSTGRES_PASSWORD": ref["POSTGRES_PASSWORD"]}
    plain = [r.inputs for r in live.registrations if r.type != SECRET_TYPE]
    for secret in (password, api_password(password)):  # the owner's, and the API role's
        assert secret not in str(plain) and quote(secret, safe="") not in str(plain)


def test_the_migration_job_runs_app_migrate_in_the_backend_image_before_the_deployment(
    live: StackRun,
) -> None:
    job, deployment = live.one(JOB), live.one(DEPLOYMENT)
    assert the_container(job)["args"] == ["python", "-m", "app.migrate"]
    assert the_container(job)["image"] == the_container(deployment)["image"] == LIVE["backendImage"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert "ttlSecondsAfterFinished" not in job.plain("spec")  # kept: no diff after a refresh
    assert job.urn in deployment.dependencies
    assert live.one(STATEFUL_SET).urn in job.dependencies
    assert "alembic" not in str(the_container(deployment)["args"])


def test_postgres_is_a_statefulset_on_a_claim_named_by_a_headless_service(
    live: StackRun,
) -> None:
    spec = live.one(STATEFUL_SET).plain("spec")
    service = live.one(SERVICE, "postgres-service").plain("spec")
    assert service["clusterIP"] == "None"
    assert spec["serviceName"] == "ossgameforge-live-postgres"
    (claim,) = spec["volumeClaimTemplates"]
    assert claim["spec"] == {"accessModes": ["ReadWriteOnce"],
                             "resources": {"requests": {"storage": "1Gi"}}}  # fmt: skip
    container = the_container(live.one(STATEFUL_SET))
    assert container["image"] == OFFLINE_IMAGES["POSTGRES_IMAGE"]
    mount = {"name": claim["metadata"]["name"], "mountPath": "/var/lib/postgresql/data"}
    assert mount in container["volumeMounts"]
    assert env(live.one(STATEFUL_SET))["PGDATA"].startswith(mount["mountPath"] + "/")
    assert container["readinessProbe"]["exec"]["command"][0] == "pg_isready"


def test_destroy_keeps_the_namespace_and_data_claim_of_live_only(
    live: StackRun, mock: StackRun
) -> None:
    assert live.one(NAMESPACE).retain_on_delete
    policy = live.one(STATEFUL_SET).plain("spec")["persistentVolumeClaimRetentionPolicy"]
    assert policy == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert not mock.one(NAMESPACE).retain_on_delete


def test_pod_security_admission_enforces_restricted_and_baseline_where_postgres_runs(
    live: StackRun, mock: StackRun
) -> None:
    def level(run: StackRun) -> str:
        label: str = run.one(NAMESPACE).plain("metadata")["labels"][POD_SECURITY]
        return label

    assert (level(mock), level(live)) == ("restricted", "baseline")
    kept = [r.name for r in live.registrations if r.retain_on_delete]
    assert kept == ["namespace"]


def test_exports_the_namespace_the_services_url_and_the_database_url_as_a_secret(
    live: StackRun, mock: StackRun
) -> None:
    url = "http://ossgameforge-mock-backend.ossgameforge-mock.svc.cluster.local:8000"
    assert mock.outputs == {
        "namespace": "ossgameforge-mock",
        "api_url": url,
        "docs_url": f"{url}/docs",
        "openapi_url": f"{url}/openapi.json",
        "health_url": f"{url}/health",
    }
    assert live.secret_outputs == {"database_url"}
    host = "ossgameforge-live-postgres.ossgameforge-live.svc.cluster.local"
    assert f"@{host}:5432/" in live.outputs["database_url"]
    assert live.outputs["database_url"].startswith(f"postgresql://{LIVE['dbUser']}_app:")
