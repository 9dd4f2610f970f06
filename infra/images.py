"""The images the stacks run, as settings: an environment variable naming each, and the official
image it defaults to. Standard library only: `python3 -m tools.images` reads it too."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ImageSetting:
    setting: str  # the environment variable
    official: str  # its default

    def configured(self) -> str:
        """The image the `setting` variable names, else the official one."""
        return os.environ.get(self.setting) or self.official


POSTGRES = ImageSetting("POSTGRES_IMAGE", "postgres:17")
PYTHON = ImageSetting("PYTHON_IMAGE", "python:3.11-slim")
