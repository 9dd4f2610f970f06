"""A real control plane from `python3 -m tools.k8s build`'s binaries, started per test (`cluster`)
or once for the stacks' tests (`kube`); with K8S_CLUSTER=kubeconfig, the stacks' tests run on the
cluster KUBECONFIG names instead (CI's kind cluster) and the control plane's own tests skip."""

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.engine_run import Figures, ignore_unclosed_inline_server
from tests.k8s.stacks import K8sStack, Kube
from tools.engine import engine_env, open_stack, set_config
from tools.k8s.cluster import ControlPlane, binaries, control_plane
from tools.k8s.parts import KUBECTL, PROVIDER, K8sPart

EXISTING = os.environ.get("K8S_CLUSTER") == "kubeconfig"
FIGURES = Figures("k8s figures (seconds)")
StackFactory = Callable[..., K8sStack]


def pytest_configure(config: pytest.Config) -> None:
    ignore_unclosed_inline_server(config)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    FIGURES.report(terminalreporter)


def fail_or_skip(why: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


def needed(*more: K8sPart) -> dict[str, str]:
    """The binaries the tests run, by name; a missing one skips them (fails them on CI)."""
    if EXISTING:
        pytest.skip("K8S_CLUSTER=kubeconfig: the stacks' tests run on KUBECONFIG's cluster")
    found = {**binaries(), **{part.binary: part.path() for part in (KUBECTL, *more)}}
    missing = [name for name, path in found.items() if not path.is_file()]
    if missing:
        fail_or_skip(f"not built: {', '.join(missing)} (run `python3 -m tools.k8s build`)")
    return {name: str(path) for name, path in found.items()}


@pytest.fixture
def cluster() -> Iterator[ControlPlane]:
    needed()
    with control_plane() as started:
        yield started


@pytest.fixture(scope="session")
def kube() -> Iterator[Kube]:
    """The cluster the stacks go to: KUBECONFIG's (K8S_CLUSTER=kubeconfig), else a control plane
    started for the session."""
    if shutil.which("pulumi") is None:
        fail_or_skip('no `pulumi` on PATH: eval "$(python3 -m tools.pulumi --print-env)"')
    if EXISTING:
        kubectl = str(KUBECTL.path()) if KUBECTL.path().is_file() else shutil.which("kubectl")
        if kubectl is None:
            pytest.fail("K8S_CLUSTER=kubeconfig and no kubectl on PATH")
        kubeconfig = os.environ.get("KUBECONFIG")
        yield Kube({"KUBECONFIG": kubeconfig} if kubeconfig else {}, kubectl)
        return
    needed(PROVIDER)
    with control_plane() as started:
        FIGURES.record("control plane: start until ready", started.started_in)
        yield Kube(started.env(), str(KUBECTL.path()))


@pytest.fixture(scope="module")
def make_stack(kube: Kube, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackFactory]:
    """`make_stack("live", key=value...)`: a stack from its stack file with target kubernetes,
    waitForReady false (a cluster may have no node) and the values given, in a namespace of the
    run's own. Afterwards each is destroyed, what destroy kept wiped and the stack removed."""
    made: list[K8sStack] = []
    env = {**engine_env(tmp_path_factory.mktemp("pulumi-state")), **kube.env}

    def make(name: str, *, password: bool = True, **values: str) -> K8sStack:
        project = f"ogk-{secrets.token_hex(3)}"
        work_dir = tmp_path_factory.mktemp(f"{project}-{name}")
        stack = open_stack(name, work_dir=work_dir, project=project, env=env)
        settings = {"target": "kubernetes", "waitForReady": "false"}
        set_config(stack, {**settings, "backendImage": f"ossgameforge/backend:{project}", **values})
        if name == "live" and password:
            set_config(stack, {"dbPassword": secrets.token_urlsafe(12) + "@/:%"}, secret=True)
        made.append(K8sStack(name, stack, f"{project}-{name}", FIGURES))
        return made[-1]

    yield make
    failed = []
    for each in made:  # each, even after one fails
        try:
            each.destroy()
            kube.wipe(each.namespace)
            each.stack.workspace.remove_stack(each.name)
        except Exception as exc:  # named below, once every stack had its turn
            failed.append(f"{each.namespace}: {exc}")
    left = [each.namespace for each in made if kube.get(f"/api/v1/namespaces/{each.namespace}")]
    assert (failed, left) == ([], []), f"removing failed: {failed}; left on the cluster: {left}"
