"""Run pip-audit on the project's virtualenv and say honestly what it could check.

Fails the build when a known vulnerability is reported. When the vulnerability
service cannot be reached (a network without PyPI's JSON API or OSV), nothing was
audited: it says so loudly and does not fail the build, because that is not a
verdict on our dependencies.
"""

import json
import subprocess
import sys
from pathlib import Path

REPORT = Path("var/pip-audit.json")


def main():
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.unlink(missing_ok=True)
    command = [".venv/bin/pip-audit", "--progress-spinner", "off", "--format", "json", "--output", str(REPORT)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)  # noqa: S603
    except subprocess.TimeoutExpired:
        print("pip-audit: timed out; dependencies NOT audited (vulnerability service unreachable?).")
        return 0
    if not REPORT.exists() or not REPORT.read_text().strip():
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: vulnerability service unreachable; dependencies NOT audited ({last_line[:200]}).")
        return 0
    dependencies = json.loads(REPORT.read_text())["dependencies"]
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    for dep in vulnerable:
        ids = ", ".join(vuln["id"] for vuln in dep["vulns"])
        print(f"pip-audit: {dep['name']} {dep['version']} has known vulnerabilities: {ids}")
    audited = len(dependencies) - len(skipped)
    print(f"pip-audit: {audited} of {len(dependencies)} installed packages audited, {len(vulnerable)} vulnerable.")
    if skipped and not audited:
        print("pip-audit: the vulnerability data source answered for none of them; dependencies NOT audited.")
    elif skipped:
        print("pip-audit: not audited: " + ", ".join(dep["name"] for dep in skipped))
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
