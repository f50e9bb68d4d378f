"""pip-audit over the installed dependencies, for `make audit` (and so CI).

A known vulnerability fails, unless pyproject.toml accepts it under
[tool.arrears-desk.accepted-vulnerabilities] with a reason. The step fails soft, with a
warning, only when the vulnerability service cannot be reached (a network error, or not a
single package could be looked up): a finding is never softened.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_FOUND = "Dependency not found on PyPI"
NETWORK = ("ConnectionError", "NameResolutionError", "Max retries exceeded", "timed out")


def accepted() -> dict[str, str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config.get("tool", {}).get("arrears-desk", {}).get("accepted-vulnerabilities", {})


def main() -> int:
    ignored = accepted()
    command = [str(Path(sys.executable).parent / "pip-audit"), "--progress-spinner", "off"]
    command += ["--skip-editable", "--format", "json"]
    for vuln in ignored:
        command += ["--ignore-vuln", vuln]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        if any(sign in done.stderr for sign in NETWORK):
            print("pip-audit: WARNING: the vulnerability service is unreachable; nothing audited.")
            return 0
        print(done.stderr, file=sys.stderr)
        return done.returncode or 1
    dependencies = report["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    found = [(d["name"], d["version"], v) for d in audited for v in d.get("vulns", [])]
    for name, version, vuln in found:
        print(f"pip-audit: {name} {version}: {vuln['id']} (fixed in {vuln['fix_versions']})")
    if found:
        print("pip-audit: FAILED: upgrade, or accept in pyproject.toml with a reason.")
        return 1
    unreachable = [d for d in dependencies if NOT_FOUND in d.get("skip_reason", "")]
    if not audited and unreachable:
        print(
            f"pip-audit: WARNING: the vulnerability service answered for none of "
            f"{len(unreachable)} packages (unreachable from this machine); nothing audited."
        )
        return 0
    print(
        f"pip-audit: {len(audited)} packages audited, no known vulnerability"
        + (f" ({len(ignored)} accepted: {', '.join(ignored)})" if ignored else "")
        + (f"; {len(unreachable)} not found on the index" if unreachable else "")
        + "."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
