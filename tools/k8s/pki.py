"""The control plane's credentials: a CA, the API server's certificate, tokens, kubeconfigs.

Made with the `openssl` command (OpenSSL 3 or LibreSSL) in the state folder; EC P-256 keys, so a
start spends well under a second here.
"""

import base64
import json
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# The first address of the service range the API server is given (cluster.SERVICE_RANGE).
SERVICE_IP = "10.0.0.1"
SERVER_NAMES = (
    "IP:127.0.0.1",
    f"IP:{SERVICE_IP}",
    "DNS:localhost",
    "DNS:kubernetes",
    "DNS:kubernetes.default",
    "DNS:kubernetes.default.svc",
    "DNS:kubernetes.default.svc.cluster.local",
)
DAYS = "3650"
NAME = "ossgameforge"  # of the kubeconfig's cluster and context
NODE = "ossgameforge-node"  # the one node tools.k8s.node runs


class PkiError(Exception):
    """A credential that could not be made; one line."""


@dataclass(frozen=True)
class Credentials:
    folder: Path
    admin_token: str
    controller_token: str
    node_token: str  # for tools.k8s.node's kubelet
    scheduler_token: str

    @property
    def ca(self) -> Path:
        return self.folder / "ca.crt"


def openssl(*args: str, cwd: Path) -> None:
    if shutil.which("openssl") is None:
        raise PkiError("`openssl` is not on PATH: install it (Debian: apt-get install openssl)")
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()] or ["no output"]
        raise PkiError(f"`openssl {args[0]}` failed: {lines[-1].strip()}")


def key(name: str, cwd: Path) -> None:
    curve = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
    openssl("genpkey", *curve, "-out", f"{name}.key", cwd=cwd)


def certificate(name: str, subject: str, extensions: list[str], cwd: Path) -> None:
    """`name`.key and `name`.crt, signed by ca.key, with these X.509v3 extension lines."""
    key(name, cwd)
    (cwd / f"{name}.ext").write_text("\n".join(extensions) + "\n")
    openssl("req", "-new", "-key", f"{name}.key", "-subj", subject, "-out", f"{name}.csr", cwd=cwd)
    signed = ["-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", f"0x{secrets.token_hex(16)}"]
    signed += ["-days", DAYS, "-extfile", f"{name}.ext", "-out", f"{name}.crt"]
    openssl("x509", "-req", "-in", f"{name}.csr", *signed, cwd=cwd)


def make(folder: Path) -> Credentials:
    """A fresh CA, server certificate, service-account key pair and tokens in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    key("ca", folder)
    ca = ["-key", "ca.key", "-subj", "/CN=ossgameforge-k8s-ca", "-days", DAYS, "-out", "ca.crt"]
    ca += ["-addext", "basicConstraints=critical,CA:TRUE"]
    ca += ["-addext", "keyUsage=critical,keyCertSign,cRLSign"]
    openssl("req", "-x509", "-new", *ca, cwd=folder)
    certificate(
        "apiserver",
        "/CN=kube-apiserver",
        [
            "basicConstraints=critical,CA:FALSE",
            "keyUsage=critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage=serverAuth",
            f"subjectAltName={','.join(SERVER_NAMES)}",
        ],
        folder,
    )
    # Signs service-account tokens (API server) and is read by the token controller.
    key("sa", folder)
    openssl("pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub", cwd=folder)
    credentials = Credentials(folder, *(secrets.token_hex(16) for _ in range(4)))
    # user,uid,groups: the admin is a cluster admin by group; the controller manager's and the
    # scheduler's users are the ones RBAC's bootstrap roles name (the former runs each controller
    # as its own service account).
    (folder / "tokens.csv").write_text(
        f'{credentials.admin_token},admin,admin,"system:masters"\n'
        f"{credentials.controller_token},system:kube-controller-manager,"
        "system:kube-controller-manager\n"
        f"{credentials.scheduler_token},system:kube-scheduler,system:kube-scheduler\n"
        # What the Node authorizer and NodeRestriction take a kubelet for.
        f'{credentials.node_token},system:node:{NODE},system:node:{NODE},"system:nodes"\n'
    )
    for path in folder.iterdir():
        path.chmod(0o600)
    return credentials


def kubeconfig(path: Path, server: str, ca: Path, token: str, user: str) -> None:
    """A kubeconfig (JSON is YAML) with the CA inline, so it works from anywhere."""
    ca_data = base64.b64encode(ca.read_bytes()).decode()
    cluster = {"server": server, "certificate-authority-data": ca_data}
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": NAME,
        "clusters": [{"name": NAME, "cluster": cluster}],
        "users": [{"name": user, "user": {"token": token}}],
        "contexts": [{"name": NAME, "context": {"cluster": NAME, "user": user}}],
    }
    path.write_text(json.dumps(config, indent=2) + "\n")
    path.chmod(0o600)
