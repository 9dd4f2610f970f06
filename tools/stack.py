"""`nox -s stack`: start on the local Docker engine the containers the Pulumi stacks declare
(the same specs as infra/, values from Pulumi.<stack>.yaml), check them, and remove all of it.

live: /health reports the database ok, and a row survives restarting the backend, restarting
Postgres and replacing the Postgres container. mock: /health reports `mock` and the backend is all
that runs. Images as for `pulumi up`: stack file, else POSTGRES_IMAGE / PYTHON_IMAGE, else official.
"""

import argparse
import os
import secrets
import signal
import sys
import time
from types import FrameType

from sqlalchemy.engine import URL

from infra import spec
from infra.config import IMAGE_SETTINGS, StackConfig, read_config, stack_file
from tools import stack_docker as local
from tools.docker import DockerError, answers, docker, published_ips, wait_healthy
from tools.stack_probes import CheckFailed, count_rows, free_ports, wait_for_health


def say(message: str) -> None:
    print(f"stack: {message}", flush=True)


def check_config(stack: str, run_id: str) -> StackConfig:
    """The stack file's values, with free loopback ports and a tag of the check's own."""
    values = stack_file(stack)
    api_port, postgres_port = free_ports(2)
    values |= {"apiPort": str(api_port), "backendImage": f"ossgameforge/backend:check-{run_id}"}
    if stack == "live":
        values["postgresPort"] = str(postgres_port)  # for the check's own row writes and reads
    return read_config(values.get, prefix=f"ogf-check-{run_id}-{stack}", environ=os.environ)


def require_image(image: str, setting: str) -> None:
    if docker("image", "ls", "--quiet", image):
        return
    try:
        docker("pull", "--quiet", image)
    except DockerError:
        raise CheckFailed(
            f"{setting}={image} is not on this engine and cannot be pulled: pull it, or build the "
            f"stand-ins (python -m tools.images) and set {setting}"
        ) from None


def build(config: StackConfig) -> str:
    started = time.monotonic()
    image = local.build_image(spec.backend_build(config))
    size = int(docker("image", "inspect", "--format={{.Size}}", image)) / 1e6
    say(f"backend image {config.backend_image}: {size:.0f} MB, built in {elapsed(started)}")
    return image


def check_live(config: StackConfig) -> None:
    password, health_url = secrets.token_urlsafe(18), spec.health_url(config)
    image = build(config)
    postgres = spec.postgres(config, password)
    backend = spec.backend(config, spec.database_url(config, password))
    started = time.monotonic()
    local.create_network(spec.network_name(config), label=config.prefix)
    local.create_volume(spec.volume_name(config), label=config.prefix)
    took = local.start_all(
        [(postgres, config.postgres_image), (backend, image)], label=config.prefix
    )
    wait_for_health(health_url, "ok")
    say(
        f"live: start -> healthy (/health database ok) in {elapsed(started)}: Postgres healthy "
        f"in {took[postgres.name]:.1f}s, then the backend in {took[backend.name]:.1f}s"
    )
    for container in (postgres.name, backend.name):
        if (ips := published_ips(container)) != {spec.LOOPBACK}:
            raise CheckFailed(f"{container} publishes on {sorted(ips)}, not {spec.LOOPBACK} only")
    if (uid := docker("exec", backend.name, "id", "-u")) == "0":
        raise CheckFailed(f"{backend.name} runs as root")
    say(f"live: published on {spec.LOOPBACK} only; backend runs as uid {uid}")

    url = URL.create(
        "postgresql+psycopg2",
        username=config.db_user,
        password=password,
        host=spec.LOOPBACK,
        port=config.postgres_port,
        database=config.db_name,
    )
    marker = f"stack-check-{secrets.token_hex(4)}"
    count_rows(url, marker, insert=True)
    for step, container, replace_it in [
        ("backend restart", backend.name, False),
        ("Postgres restart", postgres.name, False),
        ("Postgres container replacement", postgres.name, True),
    ]:
        if replace_it:
            docker("container", "rm", "--force", container)
            local.start(postgres, config.postgres_image, label=config.prefix)
        else:
            docker("restart", container)
            wait_healthy(container)
        wait_for_health(health_url, "ok")
        if count_rows(url, marker) != 1:
            raise CheckFailed(f"the row written before the {step} is gone after it")
        say(f"live: /health ok and the row is still there after the {step}")


def check_mock(config: StackConfig) -> None:
    image, health_url = build(config), spec.health_url(config)
    backend: spec.ContainerSpec[str] = spec.backend(config, None)
    started = time.monotonic()
    local.start_all([(backend, image)], label=config.prefix)
    wait_for_health(health_url, "mock")
    say(f"mock: start -> healthy (/health database mock) in {elapsed(started)}")
    selector = f"--filter=label={local.LABEL}={config.prefix}"
    running = docker("container", "ls", "--format={{.Names}}", selector).split()
    made = [
        *docker("network", "ls", "-q", selector).split(),
        *docker("volume", "ls", "-q", selector).split(),
    ]
    if running != [backend.name] or made:
        raise CheckFailed(f"mock runs {running} and made networks/volumes {made}")
    say(f"mock: only {backend.name} runs; no network, volume or Postgres")


def elapsed(since: float) -> str:
    return f"{time.monotonic() - since:.1f}s"


def run(stack: str) -> None:
    config = check_config(stack, secrets.token_hex(3))
    require_image(config.python_image, IMAGE_SETTINGS["pythonImage"].setting)
    if not config.mock_mode:
        require_image(config.postgres_image, IMAGE_SETTINGS["postgresImage"].setting)
    try:
        (check_mock if config.mock_mode else check_live)(config)
    finally:
        # A Ctrl-C or SIGTERM now waits until everything is removed, then interrupts.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            removed = local.remove_stack(config.prefix)
            if docker("image", "ls", "--quiet", config.backend_image):
                docker("image", "rm", "--no-prune", config.backend_image)  # keeps build cache
            say(f"{stack}: removed {len(removed)} containers/networks/volumes and the image tag")
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.stack", description=__doc__)
    parser.add_argument("stack", nargs="?", default="all", choices=["live", "mock", "all"])
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # clean up as on Ctrl-C
    if not answers():
        say("no Docker engine answers: start one, e.g. bash .ci/docker-engine.sh")
        return 2
    failed = []
    for stack in ["live", "mock"] if args.stack == "all" else [args.stack]:
        try:
            run(stack)
        except (CheckFailed, DockerError) as exc:
            say(f"{stack}: FAILED: {exc}")
            failed.append(stack)
        except KeyboardInterrupt:
            say(f"{stack}: interrupted")
            return 130
    say(f"failed: {', '.join(failed)}" if failed else "all checks passed")
    return 1 if failed else 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
