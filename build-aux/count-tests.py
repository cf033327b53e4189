#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints "N passed, N failed" for a meson test log, counting each test case.

A GTest program run with --tap reports every case as an "ok"/"not ok" line;
other tests count once, by their result. A program that crashed before
reporting all its cases counts as one more failure.
"""

import json
import re
import sys

PASSED = {"OK", "EXPECTEDFAIL"}
SKIPPED = {"SKIP"}

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        test = json.loads(line)
        cases = re.findall(r"^(ok|not ok)\b(.*)$", test.get("stdout") or "", re.M)
        if cases:
            for verdict, rest in cases:
                if "# SKIP" in rest:
                    skipped += 1
                elif verdict == "ok":
                    passed += 1
                else:
                    failed += 1
            if test["result"] not in PASSED | SKIPPED and not any(v == "not ok" for v, _ in cases):
                failed += 1
        elif test["result"] in PASSED:
            passed += 1
        elif test["result"] in SKIPPED:
            skipped += 1
        else:
            failed += 1

summary = f"{passed} passed, {failed} failed"
if skipped:
    summary += f", {skipped} skipped"
print(summary)
