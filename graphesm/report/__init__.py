"""Reporters: each module exposes a pure ``render(result: ScanResult) -> str``.

Stage contract: reporters format a finished :class:`~graphesm.model.ScanResult`;
they do no analysis, touch no files and print nothing. Output is deterministic:
the same result renders to byte-identical text.
"""
