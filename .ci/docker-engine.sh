#!/usr/bin/env bash
# Make a Docker engine answer: install Debian's docker.io (and mmdebstrap for the stand-in images)
# when missing, start dockerd in the background and wait until `docker info` works. Idempotent.
set -euo pipefail

LOG=/tmp/dockerd.log
WAIT_SECONDS=60

say() { echo "docker-engine: $*"; }
answers() { docker info >/dev/null 2>&1; }
fail() {
    say "$1"
    [[ -f $LOG ]] && tail -n 20 "$LOG" | sed 's/^/  dockerd: /'
    exit 1
}

answers && { say "engine already answers"; exit 0; }
[[ $EUID -eq 0 ]] || fail "must run as root to install packages and start dockerd"

# Concurrent callers queue here; the first one starts the engine, the others find it running.
exec 9>/tmp/docker-engine.lock
flock 9
answers && { say "engine already answers"; exit 0; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    apt-get update -qq
    # With Recommends: dockerd needs apparmor's parser where the kernel enables AppArmor.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

pid=$(cat /var/run/docker.pid 2>/dev/null || true)
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    say "dockerd (pid $pid) is already starting"
else
    say "starting dockerd (log: $LOG)"
    setsid dockerd </dev/null >"$LOG" 2>&1 9>&- &
    pid=$!
fi

for ((waited = 0; waited < WAIT_SECONDS; waited++)); do
    answers && { say "engine answers after ${waited}s"; exit 0; }
    if ! kill -0 "$pid" 2>/dev/null; then
        reason=$(grep -o 'failed to start daemon.*' "$LOG" | tail -n 1) || true
        fail "dockerd exited before answering: ${reason:-see its log below}"
    fi
    sleep 1
done
fail "dockerd did not answer within ${WAIT_SECONDS}s (see its log below)"
