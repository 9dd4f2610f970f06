"""`python3 -m tools.k8s`: pins, credentials and process handling, with no binary built."""

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tools.k8s import commands, pki
from tools.k8s.cluster import start
from tools.k8s.parts import KUBE_VERSION, PARTS, PROVIDER
from tools.k8s.processes import ClusterError, ours, read_pids, spawn, stop, wait_until

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tools/k8s"


def run(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """The tool on this Python, with its cache in `cache`."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    command = [sys.executable, "-m", "tools.k8s", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def pinned(folder: str, module: str) -> str:
    """The version `folder`/go.mod requires `module` at."""
    go_mod = (HERE / folder / "go.mod").read_text()
    found = re.search(rf"^\s*(?:require )?{re.escape(module)} (v\S+)", go_mod, re.MULTILINE)
    assert found, f"{folder}/go.mod does not require {module}"
    return found[1]


def test_each_staging_module_is_replaced_by_the_release_of_the_kubernetes_minor() -> None:
    assert pinned("kubernetes", "k8s.io/kubernetes") == KUBE_VERSION
    go_mod = (HERE / "kubernetes/go.mod").read_text()
    replaced = re.findall(r"^\t(k8s.io/\S+) => (k8s.io/\S+) (v\S+)$", go_mod, re.MULTILINE)
    assert len(replaced) == 31
    minor = KUBE_VERSION.split(".")[1]
    assert {(old, version) for old, new, version in replaced if old == new} == {
        (old, f"v0.{minor}.3") for old, _, _ in replaced
    }
    assert "k8s.io/sample-cli-plugin" not in go_mod  # the proxy refuses it; nothing needs it


def test_the_provider_is_the_release_the_python_sdk_asks_for() -> None:
    infra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert f"pulumi-kubernetes=={PROVIDER.version}" in infra["optional-dependencies"]["infra"]
    # The v4.25.0 tag of pulumi/pulumi-kubernetes is commit f47bc2d6f199 (2026-01-15 03:34:56).
    assert pinned("provider", PROVIDER.module) == "v4.0.0-20260115033456-f47bc2d6f199"
    assert pinned("provider", "github.com/pulumi/pulumi-kubernetes/sdk/v4") == "v4.25.0"
    assert f"-X {PROVIDER.version_var}=4.25.0" in PROVIDER.ldflags()


def test_kubernetes_binaries_report_their_release_and_are_cached_apart() -> None:
    kube = [part for part in PARTS if part.folder == "kubernetes"]
    for package in ("k8s.io/component-base/version", "k8s.io/client-go/pkg/version"):
        for name, value in (("gitVersion", "v1.36.3"), ("gitMajor", "1"), ("gitMinor", "36")):
            assert all(f"-X {package}.{name}={value}" in part.ldflags() for part in kube)
    assert len({part.bin_dir() for part in PARTS}) == len(PARTS)
    assert all(part.ldflags().startswith("-s -w ") for part in PARTS)


def test_every_listener_is_on_loopback() -> None:
    creds = pki.Credentials(Path("/s/pki"), "a", "c", "n", "s")
    lines = [
        *commands.etcd(Path("etcd"), Path("/s/etcd"), 1, 2),
        *commands.apiserver(Path("kube-apiserver"), Path("/s"), creds, 1, 3),
        *commands.controller_manager(Path("kcm"), Path("/s"), creds, Path("/s/kc"), 4),
        *commands.scheduler(Path("kube-scheduler"), creds, Path("/s/ks"), 5),
    ]
    listeners = [line for line in lines if line.startswith(("--listen", "--advertise", "--etcd"))]
    urls = [url for line in listeners for url in re.findall(r"https?://[^,\s]+", line)]
    assert urls and all(url.startswith("http://127.0.0.1:") for url in urls)
    flags = ("--bind-address=", "--advertise-address=")
    addresses = [line.split("=", 1)[1] for line in lines if line.startswith(flags)]
    assert addresses == ["127.0.0.1"] * 4


def test_credentials_verify_against_their_ca_and_name_loopback(tmp_path: Path) -> None:
    made = pki.make(tmp_path / "pki")
    verify = ["openssl", "verify", "-CAfile", str(made.ca), str(made.folder / "apiserver.crt")]
    assert subprocess.run(verify, capture_output=True, check=False).returncode == 0
    text = ["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in"]
    names = subprocess.run([*text, str(made.folder / "apiserver.crt")], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    assert "IP Address:127.0.0.1" in names
    tokens = (made.folder / "tokens.csv").read_text().splitlines()
    assert tokens[0] == f'{made.admin_token},admin,admin,"system:masters"'
    assert tokens[1].startswith(f"{made.controller_token},system:kube-controller-manager,")
    assert tokens[2] == f"{made.scheduler_token},system:kube-scheduler,system:kube-scheduler"
    assert {oct(path.stat().st_mode & 0o777) for path in made.folder.iterdir()} == {"0o600"}


def fake(path: Path, script: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!{sys.executable}\n{script}")
    path.chmod(0o755)


# Serves /health on the port of its --listen-client-urls, as etcd does.
FAKE_ETCD = """import http.server, sys
url = next(a for a in sys.argv if a.startswith("--listen-client-urls=")).rsplit(":", 1)[1]
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b'{"health":"true"}')
http.server.HTTPServer(("127.0.0.1", int(url)), Health).serve_forever()
"""


def test_a_process_that_dies_is_one_line_naming_its_log_and_the_rest_are_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    etcd, apiserver, controller_manager, scheduler = PARTS[:4]
    fake(etcd.path(), FAKE_ETCD)
    fake(apiserver.path(), "import sys\nprint('I1205 starting')\n"
         "print('Error: unknown flag: --nope', file=sys.stderr)\nsys.exit(1)\n")  # fmt: skip
    fake(controller_manager.path(), "")
    fake(scheduler.path(), "")
    state = tmp_path / "state"
    with pytest.raises(ClusterError) as raised:
        start(state)
    log = state / "logs/kube-apiserver.log"
    assert (
        str(raised.value)
        == f"kube-apiserver exited with code 1: Error: unknown flag: --nope; see {log}"
    )
    assert not any(ours(pid, state) for pid in read_pids(state).values())
    assert (state / "logs/etcd.log").exists()  # kept to be read


def test_a_port_taken_meanwhile_is_named_as_such(tmp_path: Path) -> None:
    binary = tmp_path / "etcd"
    fake(binary, "import sys\nprint('{\"level\":\"fatal\",\"msg\":\"listen tcp 127.0.0.1:5: "
                 "bind: address already in use\"}')\nsys.exit(1)\n")  # fmt: skip
    process = spawn("etcd", [str(binary)], tmp_path, detach=False)
    process.wait()
    with pytest.raises(ClusterError, match=r"^etcd exited with code 1: a port it was given is in "):
        wait_until("etcd", lambda: False, {"etcd": process}, tmp_path, timeout=5)


def test_stop_ends_recorded_processes_and_leaves_other_pids_alone(tmp_path: Path) -> None:
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)", str(tmp_path)]
    process = spawn("sleeper", sleeper, tmp_path, detach=True)
    pids = {**read_pids(tmp_path), "this test": os.getpid()}
    (tmp_path / "pids.json").write_text(json.dumps(pids))
    # Right after exec its command line may still be empty (the kernel sets it up last).
    wait_until("sleeper", lambda: ours(process.pid, tmp_path), {}, tmp_path, timeout=5)
    stop(tmp_path)
    assert process.wait(timeout=5) == -15  # SIGTERM
    assert not (tmp_path / "pids.json").exists()


def test_up_without_binaries_says_so_in_one_line_and_leaves_no_state(tmp_path: Path) -> None:
    done = run("up", "--state", str(tmp_path / "state"), cache=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["k8s: etcd is not built: run `python3 -m tools.k8s build`"]
    assert not (tmp_path / "state").exists()
    assert run("down", "--state", str(tmp_path / "state"), cache=tmp_path).returncode == 0
