"""The menu: `nox -l`. Plain `nox` runs every test suite this machine can run."""

import functools
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT))  # tools/ for the noxfile: nox puts only its own bin/ on sys.path
from tools.docker import answers as docker_answers  # noqa: E402
from tools.images import stand_in_env  # noqa: E402

nox.options.default_venv_backend = "uv"
nox.options.sessions = [
    "lint",
    "unit",
    "infra",
    "integration",
    "browser",
    "reliability",
    "e2e",
    "stack",
    "k8s",
]
SUITES = ("tests/unit", "tests/contract", "tests/fuzz")


def install(session: nox.Session, *extras: str) -> None:
    """Make the session's environment exactly uv.lock's app dependencies plus `extras`."""
    extra_options = (f"--extra={extra}" for extra in extras)
    session.run_install(
        "uv", "sync", "--locked", "--no-default-groups", *extra_options, silent=True
    )


@nox.session(reuse_venv=True, default=False)
def dev(session: nox.Session) -> None:
    """Serve the API on 127.0.0.1:8000 with reload (embedded PostgreSQL; -- --mock, -- --seed)."""
    install(session, "dev")
    session.run(
        "python",
        "-m",
        "tools.devserver",
        *session.posargs,
        interrupt_timeout=30,
        terminate_timeout=10,
    )


@nox.session(reuse_venv=True, default=False)
def seed(session: nox.Session) -> None:
    """Mock mode's sample rows into DATABASE_URL, else the embedded dev database; idempotent."""
    install(session, "dev")
    session.run("python", "-m", "tools.seed", *session.posargs)


@nox.session(reuse_venv=True, default=False)
def openapi(session: nox.Session) -> None:
    """Rewrite openapi.json from the app (a contract test fails while it differs)."""
    install(session)
    session.run("python", "-m", "tools.openapi")


@nox.session(reuse_venv=True)
def lint(session: nox.Session) -> None:
    """uv.lock up to date, ruff check, ruff format --check, mypy (app/, infra/, tools/, tests/)."""
    session.run("uv", "lock", "--check")
    install(session, "lint", "browser", "infra")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(reuse_venv=True)
def unit(session: nox.Session) -> None:
    """Tests that need no database and no Docker (the mock halves of contract and fuzz)."""
    install(session, "test")
    session.run("pytest", *SUITES, "-m", "not integration", *session.posargs)


@nox.session(reuse_venv=True)
def integration(session: nox.Session) -> None:
    """Tests on a real PostgreSQL: TEST_DB=docker (default), embedded, or a postgresql:// URL."""
    install(session, "test")
    session.env.update(_stand_ins(), TEST_DB=_test_db(session))
    session.run("pytest", "tests/integration", *SUITES[1:], *session.posargs)


@nox.session(reuse_venv=True)
def browser(session: nox.Session) -> None:
    """Headless Chromium: a page on another origin uses the API (mock, live); /docs, /redoc."""
    if not (os.environ.get("CHROMIUM") or shutil.which("chromium")):
        if os.environ.get("CI"):
            session.error("no chromium on PATH and CI is set: apt-get install chromium")
        session.skip("no chromium on PATH (apt-get install chromium, or set CHROMIUM)")
    install(session, "browser")
    session.env.update(_stand_ins(), TEST_DB=_test_db(session))
    session.run("pytest", "tests/browser", "--durations=0", *session.posargs)


@nox.session(reuse_venv=True)
def reliability(session: nox.Session) -> None:
    """Outage, hung database, bad config at start, a minute's soak (`-- -m "not soak"`)."""
    install(session, "test")
    session.run("pytest", "tests/reliability", *session.posargs)


@nox.session(reuse_venv=True, default=False)
def images(session: nox.Session) -> None:
    """Build offline stand-ins for POSTGRES_IMAGE / PYTHON_IMAGE (`-- --force`, `-- --only X`)."""
    session.run("python", "-m", "tools.images", *session.posargs)


@nox.session(reuse_venv=True)
def e2e(session: nox.Session) -> None:
    """Containers on the local Docker engine: the POSTGRES_IMAGE contract."""
    if not _docker(session):
        session.skip("no Docker engine answers")
    install(session, "test")
    session.env.update(_stand_ins())
    session.run("pytest", "tests/e2e", *session.posargs)


@nox.session(reuse_venv=True)
def infra(session: nox.Session) -> None:
    """The Pulumi program under Pulumi's mocks: each stack's resource graph (no Docker)."""
    install(session, "test", "infra")
    session.run("pytest", "tests/infra", *session.posargs)


@nox.session(reuse_venv=True)
def stack(session: nox.Session) -> None:
    """Both stacks applied by the real Pulumi engine to the local Docker engine, then removed."""
    if not _docker(session):
        session.skip("no Docker engine answers")
    install(session, "test", "infra")
    session.env.update({**_stand_ins(), **_pulumi_env(session)})
    session.run("pytest", "tests/stack", *session.posargs)


@nox.session(reuse_venv=True)
def k8s(session: nox.Session) -> None:
    """The stacks' Kubernetes target by the real engine on a local control plane (tools.k8s,
    built first where not cached); K8S_CLUSTER=kubeconfig: on KUBECONFIG's cluster instead."""
    install(session, "test", "infra")
    if os.environ.get("K8S_CLUSTER") != "kubeconfig":
        # etcd, the API server, the controller manager, kubectl and the kubernetes provider.
        session.run(sys.executable, "-m", "tools.k8s", "build", external=True)
    session.env.update({**_stand_ins(), **_pulumi_env(session)})  # a node builds the backend
    session.run("pytest", "tests/k8s", *session.posargs)


@nox.session(reuse_venv=True, default=False)
def bench(session: nox.Session) -> None:
    """The app beside the naive design (tools/reference_app.py) under wrk; `-- --help`."""
    install(session, "test")
    session.run("python", "-m", "tools.bench", *session.posargs)


@nox.session(reuse_venv=True, default=False)
def bench_reload(session: nox.Session) -> None:
    """Edit-to-answer on a mock stack: reload beside `pulumi up` without it (`-- --edits N`)."""
    if not _docker(session):
        session.skip("no Docker engine answers")
    install(session, "infra")
    session.env.update({**_stand_ins(), **_pulumi_env(session)})
    session.run("python", "-m", "tools.bench_reload", *session.posargs)


@functools.cache
def _stand_ins() -> dict[str, str]:
    """The offline stand-in images (and Ryuk off) where the official images can't be had."""
    return stand_in_env()


def _pulumi_env(session: nox.Session) -> dict[str, str]:
    """None if a `pulumi` is on PATH (Pulumi's installer, CI's setup action); else what
    `python3 -m tools.pulumi --print-env` exports, after building what it has not cached."""
    if shutil.which("pulumi"):
        return {}
    command = [sys.executable, "-m", "tools.pulumi", "--print-env"]
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        session.error("the Pulumi CLI and docker provider could not be built (see above)")
    exports = (shlex.split(line.removeprefix("export "))[0] for line in done.stdout.splitlines())
    return dict(export.split("=", 1) for export in exports)


def _test_db(session: nox.Session) -> str:
    """TEST_DB as set; else docker, falling back to embedded (with a warning) only outside CI."""
    if "TEST_DB" in os.environ:
        return os.environ["TEST_DB"]
    if _docker(session):
        return "docker"
    session.warn("no Docker engine answers: using the embedded PostgreSQL (TEST_DB=embedded)")
    return "embedded"


def _docker(session: nox.Session) -> bool:
    """Whether a Docker engine answers; in CI a missing engine fails the session instead."""
    if docker_answers():
        return True
    if os.environ.get("CI"):
        session.error("no Docker engine answers and CI is set: run bash .ci/docker-engine.sh")
    return False
