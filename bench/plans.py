#!/usr/bin/env python3
"""Read MariaDB's slow log (log_slow_verbosity=query_plan,explain, every
statement logged) from a byte offset and print one line per statement:
its time, rows examined, and what its plan did that a request path
should not, then its text shortened.  bench/run.sh's BENCH_PLANS=1 calls
it once per row.

From the EXPLAIN MariaDB logs with each statement (the plan it ran, with
the rows each table gave, r_rows), per table:
  full scan T (N)   a table of the schema read whole (type ALL)
  index walk T (N)  an index read in order without a range (type index):
                    a LIMIT or OFFSET bounds it (N: rows it gave)
  filesort (N)      rows sorted rather than read in an index's order
  derived scan (N)  a statement's own temporary result (a derived table,
                    a recursive CTE, a UNION) read whole: bounded by
                    what the statement made, not by a table's size
and the temporary tables the statement made (Tmp_tables).

usage: plans.py SLOWLOG OFFSET"""

import re
import sys

COLS = ("id", "select_type", "table", "type", "possible_keys", "key",
        "key_len", "ref", "rows", "r_rows", "filtered", "r_filtered", "Extra")


def rows_of(v):
    try:
        return "%.0f" % float(v)
    except ValueError:
        return "?"


def plan_notes(entry):
    notes = []
    for line in entry.splitlines():
        if not line.startswith("# explain: ") or "select_type" in line:
            continue
        cells = line[len("# explain: "):].split("\t")
        if len(cells) < len(COLS):
            continue
        row = dict(zip(COLS, cells))
        table, kind, n = row["table"], row["type"], rows_of(row["r_rows"])
        # A statement's own rows: a derived table, a CTE, JSON_TABLE.
        derived = table.startswith("<") or "Table function" in row["Extra"]
        if table.startswith("<union"):
            continue	# a UNION's result: counted in Tmp_tables
        if n == "?":
            continue	# not read (an INSERT's own table)
        if kind == "ALL" and derived:
            notes.append("derived scan (%s)" % n)
        elif kind == "ALL":
            notes.append("full scan %s (%s)" % (table, n))
        elif kind == "index":
            notes.append("index walk %s (%s)" % (table, n))
        if "Using filesort" in row["Extra"]:
            notes.append("filesort (%s)" % n)
    if "Full_join: Yes" in entry:
        notes.append("full join")
    t = re.search(r"Tmp_tables: (\d+)", entry)
    if t and int(t.group(1)) > 0:
        notes.append("%s tmp table(s)" % t.group(1))
    return notes


def main():
    path, offset = sys.argv[1], int(sys.argv[2])
    with open(path, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    for entry in text.split("# User@Host")[1:]:
        lines = entry.splitlines()
        sql = " ".join(l for l in lines[1:] if l and not l.startswith(("#",
                       "SET timestamp", "use ")))
        # The pool's own statements (connection setup, pings) are not the
        # request's.
        if not sql or sql.startswith(("SET ", "SELECT @@", "administrator")):
            continue
        m = re.search(r"Query_time: (\S+).*Rows_examined: (\d+)", entry)
        print("    %6.3f ms %6s rows  %s\n        %s" % (
            float(m.group(1)) * 1000 if m else 0, m.group(2) if m else "?",
            ", ".join(plan_notes(entry)) or "-", sql[:110]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
