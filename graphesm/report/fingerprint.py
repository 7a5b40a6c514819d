"""Finding fingerprints: the identity of a finding across edits and checkouts.

Stage contract: a pure helper of the reporters (SARIF) and the baseline, a
function of one `Finding` and the scan root URL. The
fingerprint is what baselines match on and what SARIF reports as
`partialFingerprints`; it must survive line moves and a different checkout
folder, and change when the problem itself changes. It is the hex SHA-256 of
these fields, joined by NUL and prefixed with the format tag `graphesm-fp/1`:

* the rule code;
* for a cycle (`data.members`, else `data.modules`): the sorted set of its
  member modules (root-relative) and whether it is lazy — not where the
  closing import happens to sit, nor the example path, which may change
  when an unrelated edge is added;
* otherwise: the finding's file (root-relative path), `data.code` (Node's
  error code), `data.specifier`, and for findings that carry neither (a
  parse error, a duplicate instance, …) the message with the root shortened
  and digits removed, so `line 3` and `line 4` fingerprint alike.

Line and column never take part.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from graphesm.model import Finding
from graphesm.report._paths import shorten

__all__ = ["FORMAT", "fingerprint"]

FORMAT = "graphesm-fp/1"
_DIGITS = re.compile(r"\d+")


def _relative(url: str, root: str) -> str:
    return url[len(root) :] if url.startswith(root) else url


def _cycle_members(data: Mapping[str, object]) -> list[str] | None:
    for key in ("members", "modules"):
        value = data.get(key)
        if isinstance(value, (list, tuple)) and value:
            return [str(item) for item in value]
    return None


def fingerprint(finding: Finding, root: str) -> str:
    """The stable fingerprint of ``finding`` in a scan rooted at URL ``root``."""
    data = finding.data
    fields: list[str] = [FORMAT, finding.rule]
    members = _cycle_members(data) if finding.rule == "cycle" else None
    if members is not None:
        fields.append("members")
        fields.extend(sorted({_relative(url, root) for url in members}))
        fields.append(f"lazy={bool(data.get('lazy'))}")
    else:
        location = finding.location
        fields.append(location.path or _relative(location.url, root))
        code = data.get("code")
        specifier = data.get("specifier")
        fields.append(f"code={code}" if isinstance(code, str) else "code=")
        fields.append(f"specifier={specifier}" if isinstance(specifier, str) else "specifier=")
        if not isinstance(code, str) and not isinstance(specifier, str):
            fields.append(_DIGITS.sub("#", shorten(finding.message, root)))
    return hashlib.sha256("\0".join(fields).encode("utf-8")).hexdigest()
