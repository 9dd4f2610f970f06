"""The Dockerfile agrees with the specs on what the stacks rely on (the build itself is proven by
the stacks on the engine, tests/stack)."""

import json
import re

from infra.config import IMAGE_SETTINGS, REPO, read_config
from infra.spec import APP_USER, LIVE_PROBE, backend_build
from tests.stack_files import stack_file

DOCKERFILE = (REPO / "Dockerfile").read_text()


def test_both_stages_start_from_the_base_image_the_stacks_pass() -> None:
    (arg,) = backend_build(read_config(stack_file("live").get, prefix="t", environ={})).args
    default = re.escape(IMAGE_SETTINGS["pythonImage"].official)
    assert re.search(rf"^ARG {arg}={default}$", DOCKERFILE, re.MULTILINE)
    assert re.findall(r"^FROM (\S+)", DOCKERFILE, re.MULTILINE) == [f"${{{arg}}}"] * 2


def test_healthcheck_is_the_specs_probe_of_health_live() -> None:
    assert f"CMD {json.dumps(list(LIVE_PROBE[1:]))}" in DOCKERFILE.replace("\\\n    ", "")


def test_runs_as_the_specs_non_root_user() -> None:
    assert re.findall(r"^USER (\S+)$", DOCKERFILE, re.MULTILINE) == [APP_USER]
    assert not APP_USER.startswith(("0:", "root"))
