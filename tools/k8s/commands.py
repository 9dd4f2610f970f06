"""The command line of each control-plane process: every listener on 127.0.0.1."""

from pathlib import Path

from tools.k8s.pki import Credentials

SERVICE_RANGE = "10.0.0.0/24"  # pki.SERVICE_IP is its first address
ISSUER = "https://kubernetes.default.svc.cluster.local"


def command(binary: Path, **flags: object) -> list[str]:
    """`binary --name=value ...`, a flag's underscores written as dashes."""
    return [str(binary), *(f"--{name.replace('_', '-')}={value}" for name, value in flags.items())]


def etcd(binary: Path, data: Path, client_port: int, peer_port: int) -> list[str]:
    client = f"http://127.0.0.1:{client_port}"
    peer = f"http://127.0.0.1:{peer_port}"
    return command(
        binary,
        name="local",
        data_dir=data,
        listen_client_urls=client,
        advertise_client_urls=client,
        listen_peer_urls=peer,
        initial_advertise_peer_urls=peer,
        initial_cluster=f"local={peer}",
        unsafe_no_fsync="true",  # a throwaway store: speed over durability
    )


def apiserver(
    binary: Path, state: Path, credentials: Credentials, etcd_port: int, port: int
) -> list[str]:
    pem = credentials.folder
    return command(
        binary,
        etcd_servers=f"http://127.0.0.1:{etcd_port}",
        bind_address="127.0.0.1",
        advertise_address="127.0.0.1",
        secure_port=port,
        cert_dir=state / "apiserver",  # unused (the certificate is given), but not /var/run
        tls_cert_file=pem / "apiserver.crt",
        tls_private_key_file=pem / "apiserver.key",
        client_ca_file=credentials.ca,
        token_auth_file=pem / "tokens.csv",
        authorization_mode="Node,RBAC",
        allow_privileged="true",
        service_account_issuer=ISSUER,
        service_account_key_file=pem / "sa.pub",
        service_account_signing_key_file=pem / "sa.key",
        service_cluster_ip_range=SERVICE_RANGE,
        endpoint_reconciler_type="none",  # 127.0.0.1 can't be the `kubernetes` Service's endpoint
        profiling="false",
    )


def _client(kubeconfig: Path, port: int) -> dict[str, object]:
    """The flags the controller manager and the scheduler share: the API server's user from
    `kubeconfig`, /healthz and metrics on 127.0.0.1:`port`, no leader election."""
    return {
        "kubeconfig": kubeconfig,
        "authentication_kubeconfig": kubeconfig,
        "authorization_kubeconfig": kubeconfig,
        # Tokens only: no front proxy, whose CA it would otherwise look for (and log, missing).
        "authentication_skip_lookup": "true",
        "bind_address": "127.0.0.1",
        "secure_port": port,
        "leader_elect": "false",
        "profiling": "false",
    }


def scheduler(binary: Path, credentials: Credentials, kubeconfig: Path, port: int) -> list[str]:
    pem = credentials.folder
    return command(
        binary,
        **_client(kubeconfig, port),
        # Serves with the API server's certificate (127.0.0.1, signed by the CA): a client that
        # trusts the CA can check /healthz.
        tls_cert_file=pem / "apiserver.crt",
        tls_private_key_file=pem / "apiserver.key",
    )


def controller_manager(
    binary: Path, state: Path, credentials: Credentials, kubeconfig: Path, port: int
) -> list[str]:
    pem = credentials.folder
    return command(
        binary,
        **_client(kubeconfig, port),
        cert_dir=state / "controller-manager",  # its serving certificate, self-signed
        # Each controller as its own service account: RBAC's bootstrap roles grant them what
        # they do (the controller manager's own user may not create ReplicaSets or Pods).
        use_service_account_credentials="true",
        service_account_private_key_file=pem / "sa.key",
        root_ca_file=credentials.ca,
        cluster_signing_cert_file=credentials.ca,
        cluster_signing_key_file=pem / "ca.key",
    )
