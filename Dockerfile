# The backend image: `docker build --build-arg PYTHON_IMAGE=... .` (the Pulumi stacks and
# `python -m tools.stack` pass the configured base image). Serves on port 8000 as a non-root user;
# the live stack's command runs `alembic upgrade head` first (infra/spec.py).
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never UV_SYSTEM_CERTS=1
# binutils' strip takes the debug symbols out of the extension modules (uvloop's alone: 14 -> 2 MB).
RUN apt-get update && apt-get install -y --no-install-recommends binutils && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml uv.lock ./
# uv, at the version and with the hashes uv.lock holds, lives in this stage only. It installs
# uv.lock's app dependencies into /opt/venv, each file checked against the lock's hashes: this
# layer is rebuilt when they change, not the code.
RUN python -c 'import tomllib; (uv,) = (p for p in tomllib.load(open("uv.lock", "rb"))["package"] if p["name"] == "uv"); print("uv==" + uv["version"], *("--hash=" + w["hash"] for w in uv["wheels"]))' >uv.txt \
    && python -m venv /opt/uv && /opt/uv/bin/pip install --require-hashes --requirement uv.txt \
    && UV_PROJECT_ENVIRONMENT=/opt/venv /opt/uv/bin/uv sync --locked --no-default-groups --no-install-project \
    && find /opt/venv -name '*.so' ! -path '*.libs/*' -exec strip --strip-debug {} +

# No bytecode caches (uv writes none; 21 MB): a process start compiles what it imports.
FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /srv app
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv
COPY alembic.ini .
COPY alembic alembic
COPY app app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=2s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=2)"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
