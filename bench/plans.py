#!/usr/bin/env python3
"""Read MariaDB's slow log (log_slow_verbosity=query_plan, every
statement logged) from a byte offset and print one line per statement:
its time, rows examined, and what its plan did that a request path
should not (a full scan, a filesort, temporary tables), then its text
shortened.  bench/run.sh's BENCH_PLANS=1 calls it once per row.

usage: plans.py SLOWLOG OFFSET"""

import re
import sys

FLAGS = (("Full_scan: Yes", "full scan"), ("Full_join: Yes", "full join"),
         ("Filesort: Yes", "filesort"))


def main():
    path, offset = sys.argv[1], int(sys.argv[2])
    with open(path, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    bad = 0
    for entry in text.split("# User@Host")[1:]:
        lines = entry.splitlines()
        sql = " ".join(l for l in lines[1:] if l and not l.startswith(("#",
                       "SET timestamp", "use ")))
        # The pool's own statements (connection setup, pings) are not the
        # request's.
        if not sql or sql.startswith(("SET ", "SELECT @@", "administrator")):
            continue
        m = re.search(r"Query_time: (\S+).*Rows_examined: (\d+)", entry)
        found = [name for flag, name in FLAGS if flag in entry]
        t = re.search(r"Tmp_tables: (\d+)", entry)
        if t and int(t.group(1)) > 0:
            found.append("%s tmp table(s)" % t.group(1))
        bad += bool(found)
        print("    %6.3f ms %6s rows  %-28s %s" % (
            float(m.group(1)) * 1000 if m else 0, m.group(2) if m else "?",
            ", ".join(found) or "-", sql[:90]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
