"""No password is written into the repository: not in code, tests, docs or stack files."""

import re
import subprocess

import yaml

from tests.db import ROOT

# Credentials in a URL, or a password assigned a quoted literal; placeholders ({..}, $VAR, <..>)
# and the `user:password@host` (any case) of usage messages are fine.
CREDENTIALS = re.compile(r"://[^/\s:@\"'`]+:(?![{$<]|(?i:password)@)[^@\s/\"'`]+@")
ASSIGNED = re.compile(r"(?i)(password|passwd|secret)[\"']?\s*[:=]\s*[\"'](?![{$<])[^\"']+[\"']")


def tracked_text_files() -> list[str]:
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [n for n in names if (ROOT / n).is_file() and b"\0" not in (ROOT / n).read_bytes()]


def test_no_file_holds_a_password_literal() -> None:
    found = [
        f"{name}:{number}: {line.strip()}"
        for name in tracked_text_files()
        for number, line in enumerate((ROOT / name).read_text().splitlines(), 1)
        if CREDENTIALS.search(line) or ASSIGNED.search(line)
    ]
    assert found == []


def test_stack_files_hold_no_password_unless_encrypted_by_pulumi() -> None:
    for stack in ("mock", "live"):
        config = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
        for key, value in config.items():
            if "password" in key.lower():
                assert isinstance(value, dict) and set(value) == {"secure"}, key
