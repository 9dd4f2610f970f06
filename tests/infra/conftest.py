"""The Pulumi program run under Pulumi's own mocks, one stack at a time: `run_stack` returns
every resource it registered (type, inputs with secrets still marked, options) and its exports."""

import asyncio
import hashlib
import runpy
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pulumi
import pytest
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor

from infra.config import IMAGE_SETTINGS, NAMESPACE, REPO
from tests.stack_files import stack_file

PROGRAM = REPO / "infra" / "__main__.py"
REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage"
CONTAINER = "docker:index/container:Container"
NETWORK = "docker:index/network:Network"
VOLUME = "docker:index/volume:Volume"
OFFLINE_IMAGES = {"PYTHON_IMAGE": "offline/python:test", "POSTGRES_IMAGE": "offline/postgres:test"}


def image_id(name: str) -> str:
    return "sha256:" + hashlib.sha256(name.encode()).hexdigest()


def auto_name(name: str) -> str:
    """The name the kubernetes provider gives an object whose metadata names none."""
    return f"{name}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


class ProviderMocks(pulumi.runtime.Mocks):
    """Echo the inputs as state, plus what the providers would add: the Docker provider's image
    IDs and a one-shot container's exit, the kubernetes provider's names."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        if args.typ == REMOTE_IMAGE:
            state["image_id"] = image_id(args.inputs["name"])
        elif args.typ == CONTAINER and args.inputs.get("attach"):  # a one-shot that succeeded
            state |= {"exitCode": 0, "containerLogs": "done\n"}
        elif args.typ.startswith("kubernetes:"):
            metadata = dict(state.get("metadata") or {})
            state["metadata"] = {"name": auto_name(args.name), **metadata}
        return f"{args.name}-id", state

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@dataclass(frozen=True)
class Registration:
    type: str
    name: str
    urn: str
    parent: str
    dependencies: frozenset[str]
    inputs: dict[str, Any]
    delete_before_replace: bool
    retain_on_delete: bool

    def plain(self, key: str) -> Any:
        """An input's value, secret or not (`secret(key)` tells which)."""
        return rpc.unwrap_rpc_secret(self.inputs.get(key))

    def secret(self, key: str) -> bool:
        return rpc.is_rpc_secret(self.inputs.get(key))


class RecordingMonitor(MockMonitor):
    def __init__(self) -> None:
        super().__init__(ProviderMocks())
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:
        # Called on an executor thread, where the mock monitor would open an event loop and never
        # close it (a ResourceWarning later, somewhere else): give it one that is closed after.
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
            inputs = rpc.deserialize_properties(request.object)
        finally:
            asyncio.set_event_loop(None)
            loop.close()
        self.registrations.append(
            Registration(
                type=request.type,
                name=request.name,
                urn=response.urn,
                parent=request.parent,
                dependencies=frozenset(request.dependencies),
                inputs=inputs,
                delete_before_replace=request.deleteBeforeReplace,
                retain_on_delete=request.retainOnDelete,
            )
        )
        return response


@dataclass(frozen=True)
class StackRun:
    registrations: list[Registration]
    outputs: dict[str, Any]
    secret_outputs: frozenset[str]

    def all(self, type_: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> Registration:
        found = [r for r in self.all(type_) if name is None or r.name == name]
        assert len(found) == 1, f"{len(found)} {type_} {name or ''} in {self.types()}"
        return found[0]

    def types(self) -> list[str]:
        return sorted(r.type for r in self.registrations)


def run_stack(
    stack: str,
    *,
    password: str | None,
    extra: dict[str, str] | None = None,
    environ: dict[str, str] | None = None,
    plain_text: bool = False,
) -> StackRun:
    """Run the program with `Pulumi.<stack>.yaml`'s values, `extra` ones, and the password (in
    plain text, as `pulumi config set` without --secret leaves it, if `plain_text`); of the image
    settings, only those in `environ` are set."""
    values = {**stack_file(stack), **(extra or {})}
    if password is not None:
        values["dbPassword"] = password
    config = {f"{NAMESPACE}:{key}": value for key, value in values.items()}
    with pytest.MonkeyPatch.context() as patch:
        for image in IMAGE_SETTINGS.values():
            patch.delenv(image.setting, raising=False)
        for name, value in (environ or {}).items():
            patch.setenv(name, value)
        # On a thread of its own: Pulumi's settings and event loop never touch the test's.
        with ThreadPoolExecutor(max_workers=1) as thread:
            return thread.submit(_run_program, stack, config, plain_text).result()


def _run_program(stack: str, config: dict[str, str], plain_text: bool) -> StackRun:
    monitor = RecordingMonitor()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    pulumi.runtime.set_mocks(
        monitor.mocks, project=NAMESPACE, stack=stack, preview=False, monitor=monitor
    )
    secrets = [] if plain_text else [f"{NAMESPACE}:dbPassword", f"{NAMESPACE}:externalDatabaseUrl"]
    pulumi.runtime.set_all_config(config, [key for key in secrets if key in config])
    outputs: dict[str, Any] = {}
    secret: set[str] = set()

    async def resolve_exports() -> None:
        root = pulumi.runtime.get_root_resource()
        for name, value in getattr(root, "outputs", {}).items():
            output = pulumi.Output.from_input(value)
            outputs[name] = await output.future()
            if await output.is_secret():
                secret.add(name)

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def program() -> "asyncio.Future[None]":
        runpy.run_path(str(PROGRAM), run_name="__main__")
        return asyncio.ensure_future(resolve_exports())

    try:
        program()
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
    return StackRun(monitor.registrations, outputs, frozenset(secret))


@pytest.fixture(scope="module")
def password() -> str:
    """A generated password with characters a URL must escape."""
    return secrets.token_urlsafe(12) + "@/:%"


@pytest.fixture(scope="module")
def live(password: str) -> StackRun:
    return run_stack("live", password=password, environ=OFFLINE_IMAGES)


@pytest.fixture(scope="module")
def mock() -> StackRun:
    return run_stack("mock", password=None)
