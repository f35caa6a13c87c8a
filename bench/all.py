"""`make bench`: run every benchmark in bench/ and print all their figures as one table."""

import json
import subprocess
import sys
from pathlib import Path

from harness import RESULTS, Figure, format_table

BENCH = Path(__file__).resolve().parent


def main() -> int:
    RESULTS.unlink(missing_ok=True)
    scripts = sorted(p for p in BENCH.glob("*.py") if p.name not in ("all.py", "harness.py"))
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        if subprocess.run([sys.executable, str(script), *sys.argv[1:]]).returncode != 0:
            failed.append(script.name)
    figures = (
        [Figure(**json.loads(line)) for line in RESULTS.read_text().splitlines()]
        if RESULTS.exists()
        else []
    )
    print()
    print(format_table(figures))
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
