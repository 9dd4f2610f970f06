# The backend image: `docker build --build-arg PYTHON_IMAGE=... .` (the Pulumi stacks and
# `python -m tools.stack` pass the configured base image). Serves on port 8000 as a non-root user;
# the live stack's command runs `alembic upgrade head` first (infra/spec.py).
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml .
# Dependencies only, from pyproject.toml: this layer is rebuilt when they change, not the code.
# The base image's pip installs into a venv without pip of its own.
RUN python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"], sep="\n")' >requirements.txt \
    && python -m venv --without-pip /opt/venv \
    && python -m pip --python /opt/venv/bin/python install --requirement requirements.txt

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
