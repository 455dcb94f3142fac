#!/usr/bin/env python3
"""bench_explain.py: where PostgreSQL spends a statement's time, for
`make bench` (scripts/bench).  The statement's SQL is read from the
prepared-statement table of fcgi/db.c and prepared as crmd prepares it
(no parameter types); it is executed 7 times with the given parameters
(PostgreSQL chooses between custom and generic plans after 5), then once
more under EXPLAIN ANALYZE.  Prints one line: planning and execution time of
that last execution, how many generic and custom plans were made, the
tables read by a sequential scan.

Usage: bench_explain.py PGPORT LABEL ST_NAME PARAM...   ("null": SQL null)
"""
import json
import os
import re
import subprocess
import sys

port, label, name, params = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
src = open(os.path.join(top, "fcgi", "db.c"), encoding="utf-8").read()
# String macros (#define NAME "..." \ continued) are replaced by their text.
macros = {m.group(1): m.group(2).replace("\\\n", "\n")
          for m in re.finditer(r"^#define\s+([A-Z][A-Z0-9_]*)[ \t]*\\\n((?:.*\\\n)*.*)$", src, re.M)}
body = src[src.index("{", src.index("stmts[ST__MAX]")):]
for _ in range(4):  # a macro may use another
    body = re.sub(r"\b[A-Z][A-Z0-9_]*\b", lambda w: macros.get(w.group(0), w.group(0)), body)
m = re.search(r"\[" + name + r"\]\s*=((?:\s*(?:/\*.*?\*/|\"(?:[^\"\\]|\\.)*\"))+)", body, re.S)
if not m:
    sys.exit("bench_explain: %s not found in fcgi/db.c" % name)
sql = "".join(bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
              for s in re.findall(r"\"((?:[^\"\\]|\\.)*)\"", m.group(1)))


def lit(p):
    return "null" if p == "null" else "'" + p.replace("'", "''") + "'"


args = "(" + ", ".join(lit(p) for p in params) + ")" if params else ""
script = "prepare bench_e as %s;\n" % sql
script += ("execute bench_e%s;\n" % args) * 7
script += "\\o /dev/null\n"
script = script.replace("prepare bench_e", "\\o /dev/null\nprepare bench_e", 1)
script += "\\o\nexplain (analyze, format json) execute bench_e%s;\n" % args
script += "select generic_plans, custom_plans from pg_prepared_statements where name = 'bench_e';\n"
r = subprocess.run(["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", port,
                    "-U", "crm", "-d", "crm"], input=script, capture_output=True, text=True, timeout=120)
if r.returncode != 0:
    sys.exit("bench_explain: %s: %s" % (name, r.stderr.strip()[:300]))
out = r.stdout.strip().split("\n")
plan_text = "\n".join(out[:-1])
plan = json.loads(plan_text)[0]
gen, cus = out[-1].split("|")


def scans(p, acc):
    if p.get("Node Type") == "Seq Scan":
        acc.append(p["Relation Name"])
    for q in p.get("Plans", []):
        scans(q, acc)
    return acc


seq = sorted(set(scans(plan["Plan"], [])))
print("%s | %s | %.2f | %.2f | %s generic, %s custom | %s |" % (
    label, name, plan["Planning Time"], plan["Execution Time"], gen, cus, ", ".join(seq) or "none"))
