from pathlib import Path

import pytest

from tools.debian_rootfs import Source, apt_sources


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_deb822_and_one_line_sources_are_both_read(tmp_path: Path) -> None:
    write(
        tmp_path / "sources.list.d/debian.sources",
        "Types: deb deb-src\nURIs: http://mirror.example/debian\n"
        "Suites: bookworm bookworm-updates\n"
        "Components: main\n\nTypes: deb\nURIs: http://off.example\nSuites: x\nEnabled: no\n",
    )
    write(
        tmp_path / "sources.list",
        "# comment\ndeb [arch=amd64] http://sec.example/ bookworm-security main\n",
    )
    assert apt_sources(tmp_path) == [
        Source("http://mirror.example/debian", "bookworm", "main"),
        Source("http://mirror.example/debian", "bookworm-updates", "main"),
        Source("http://sec.example/", "bookworm-security", "main"),
    ]


def test_no_source_at_all_says_so(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    with pytest.raises(SystemExit, match=r"no `deb` source in .*cannot bootstrap Debian"):
        apt_sources(tmp_path)
