"""Records shared by every stage of the pipeline.

Stage contract: plain frozen dataclasses and string enums, no logic and no
imports from the rest of graphesm. Data flows one way through them:
files -> FileScan/ImportSite -> Resolution -> graph -> Finding -> ScanResult.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class ImportKind(StrEnum):
    """How a specifier appears in source (the `kind` field of graphesm/1)."""

    STATIC = "static"
    SIDE_EFFECT = "side-effect"
    EXPORT_FROM = "export-from"
    DYNAMIC = "dynamic"
    DYNAMIC_EXPR = "dynamic-expr"
    REQUIRE = "require"
    IMPORT_META_RESOLVE = "import-meta-resolve"


class ModuleKind(StrEnum):
    LOCAL = "local"
    PACKAGE = "package"
    BUILTIN = "builtin"
    DATA = "data"
    NETWORK = "network"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Resolved:
    """What Node's resolve step returns for one specifier: a URL and a format.

    `format` is None where Node settles the format only when loading
    (typeless `.js`, unknown extensions, network URLs).
    """

    url: str
    format: str | None


@dataclass(frozen=True, slots=True)
class ImportSite:
    """One import found in a source file.

    `attributes` is the attribute object as written, as sorted (key, value)
    pairs; `names` are the imported binding names for static imports
    (`default`, `*`, or the exported name) so later checks can reason about
    CommonJS named exports.
    """

    file_url: str
    specifier: str | None
    kind: ImportKind
    line: int
    column: int
    attributes: tuple[tuple[str, str], ...] | None = None
    attributes_syntax: str | None = None
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """A syntax error tree-sitter reported, 1-based position."""

    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class FileScan:
    """Everything the scanner learned about one file.

    `format` is the format Node would load the file as (`module` or
    `commonjs`), `error` is set when the file could not be read or decoded
    (then `sites` is empty).
    """

    url: str
    path: str
    format: str | None
    sites: tuple[ImportSite, ...]
    problems: tuple[ParseProblem, ...] = ()
    has_top_level_await: bool = False
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """The resolver's answer for one ImportSite: a URL or Node's error code."""

    site: ImportSite
    url: str | None
    format: str | None
    error_code: str | None
    message: str | None


@dataclass(frozen=True, slots=True)
class PackageInfo:
    name: str
    version: str | None


@dataclass(frozen=True, slots=True)
class Module:
    url: str
    path: str | None
    kind: ModuleKind
    format: str | None
    package: PackageInfo | None = None


@dataclass(frozen=True, slots=True)
class Location:
    url: str
    path: str | None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Location, ...] = ()
    data: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScanOptions:
    conditions: tuple[str, ...]
    entries: tuple[str, ...] = ()
    preserve_symlinks: bool = False


@dataclass(frozen=True, slots=True)
class ScanResult:
    """The one document every reporter renders (schema graphesm/1)."""

    schema: str
    root: str
    options: ScanOptions
    modules: tuple[Module, ...]
    imports: tuple[Resolution, ...]
    findings: tuple[Finding, ...]
    stats: Mapping[str, object] = field(default_factory=dict)
