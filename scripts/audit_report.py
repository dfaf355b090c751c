"""Reads pip-audit's and npm audit's JSON reports for scripts/audit-dependencies.

    python scripts/audit_report.py pip REPORT.json   exit 0 clean, 1 vulnerable, 2 nothing could be looked up
    python scripts/audit_report.py npm REPORT.json   exit 0 clean, 1 high or critical, 2 no audit (endpoint error)
"""
import json
import sys


def pip(report):
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    lines = [f"VULNERABLE {d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['?'])})"
             for d in vulnerable for v in d["vulns"]]
    audited = len(deps) - len(skipped)
    lines.append(f"{len(deps)} packages: {audited} audited, {len(skipped)} could not be looked up, "
                 f"{len(vulnerable)} vulnerable")
    return (1 if vulnerable else 2 if deps and not audited else 0), lines


def npm(report):
    if "vulnerabilities" not in report:
        return 2, [f"npm audit gave no audit: {str(report.get('message', report))[:200]}"]
    counts = report.get("metadata", {}).get("vulnerabilities", {})
    serious = counts.get("high", 0) + counts.get("critical", 0)
    lines = [f"VULNERABLE {name} ({v.get('severity')})" for name, v in report["vulnerabilities"].items()
             if v.get("severity") in ("high", "critical")]
    lines.append("npm: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "no packages"))
    return (1 if serious else 0), lines


def main(kind, path):
    try:
        with open(path) as handle:
            report = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"{kind}: no report to read ({error})")
        return 2
    code, lines = {"pip": pip, "npm": npm}[kind](report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
