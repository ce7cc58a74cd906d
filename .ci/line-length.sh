#!/usr/bin/env bash
# Lines of C# stay within 120 characters (src/ and tests/): prints every longer line as file:line: length
# and fails when there is one. `.ci/wrap-long-lines.py FILE...` wraps most of them (whitespace only).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z --cached --others --exclude-standard -- 'src/*.cs' 'tests/*.cs' | python3 -c '
import sys
limit, found = 120, 0
for path in sys.stdin.read().split("\0"):
    if not path:
        continue
    with open(path, encoding="utf-8-sig") as f:
        for number, line in enumerate(f, 1):
            if len(line.rstrip("\r\n")) > limit:
                print(f"{path}:{number}: {len(line.rstrip())} characters")
                found += 1
if found:
    sys.exit(f"line-length: {found} lines longer than {limit} characters (above)")
print(f"line-length: every C# line in src/ and tests/ is within {limit} characters")
'
