"""Where a finding points: helpers shared by the checks."""

from __future__ import annotations

from collections.abc import Mapping

from graphesm.model import Location, Resolution


def site_location(resolution: Resolution, paths: Mapping[str, str | None]) -> Location:
    site = resolution.site
    return Location(site.file_url, paths.get(site.file_url), site.line, site.column)
