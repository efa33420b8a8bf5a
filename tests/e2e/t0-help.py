#!/usr/bin/env python3
"""t0-help.py: every command's --help against its option parser, the man
page and the settings file example, compared mechanically.

Usage: t0-help.py SLACKLOG  (run from the repository root; prints ok/not ok)

For every command `slacklog help` lists:
  - COMMAND --help and `help COMMAND` print its usage;
  - the usage lines (the first paragraph) name the same options as the
    option list below them (a short form counts as its long one);
  - every listed option is accepted: `COMMAND OPTION [VALUE] --help`
    reaches the help (VALUE when the list shows a METAVAR after it);
  - every option of any command, of the man page or in the sources
    ("--name" strings in src/) that COMMAND does not list is refused with
    exactly one line, "unknown option 'NAME'", and exit status 2;
  - a listed option that takes a value, given without one, is one line
    naming it, exit status 2;
  - the man page's SYNOPSIS has the command with the same options, every
    option is in the man page, and each command but help and version has
    its own section.
And the settings (src/web/conf.c's keys) are the keys the man page lists
and the keys docs/slacklog.conf.example shows.
"""
import os
import re
import subprocess
import sys
import tempfile

SLACKLOG = os.path.abspath(sys.argv[1])


def ok(cond, name, why=""):
    print(("ok - " if cond else "not ok - ") + name + ("" if cond or not why else ": " + why))


def run(*args):
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, SLACKLOG_DB=os.path.join(d, "none.db"), SLACKLOG_CONFIG="",
                   SLACKLOG_TOKEN="")
        p = subprocess.run([SLACKLOG, *args], capture_output=True, text=True, cwd=d, env=env,
                           timeout=20, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


# a value the option's parser takes, by its METAVAR
VALUES = {"N": "1", "SECS": "1", "SECONDS": "1", "DAYS": "1", "ZONE": "UTC", "URL": "http://127.0.0.1:9/",
          "HOST:PORT": "127.0.0.1:0"}

LONG = re.compile(r"--[a-z][a-z-]*")


def parse_help(text):
    """(options of the usage lines, {long: takes a value}, {short: long})"""
    para = text.split("\n\n", 1)[0]
    usage = set(LONG.findall(para)) | set(re.findall(r"(?<![\w-])-[a-zA-Z](?![\w-])", para))
    listed, shorts = {}, {}
    for line in text.splitlines():
        m = re.match(r"^\s+(?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)(?:[ =]([A-Z][A-Z:]*)\b)?", line)
        if not m:
            continue
        listed[m.group(2)] = m.group(3)
        if m.group(1):
            shorts[m.group(1)] = m.group(2)
    usage.discard("--help")
    usage.discard("-h")
    return usage, listed, shorts


def canon(opts, shorts):
    return {shorts.get(o, o) for o in opts}


# ---- the commands and their help ------------------------------------------
rc, out, _ = run("help")
commands = re.findall(r"^  ([a-z]+)\s", out.split("Commands:", 1)[1], re.M)
ok(rc == 0 and len(commands) >= 10, "help lists the commands", " ".join(commands))

helps = {}
for cmd in commands:
    rc, out, err = run(cmd, "--help")
    ok(rc == 0 and out.startswith("usage: slacklog " + cmd), f"{cmd} --help prints its usage", err.strip())
    rc2, out2, _ = run("help", cmd)
    ok(rc2 == 0 and out2 == out, f"help {cmd} prints the same")
    helps[cmd] = parse_help(out)

# ---- usage lines, option lists and the parsers ----------------------------
man = open("docs/slacklog.1").read().replace("\\-", "-")
sources = ""
for root, _, files in os.walk("src"):
    sources += "".join(open(os.path.join(root, f)).read() for f in files if f.endswith(".c"))
candidates = set(LONG.findall(man)) | {m[1:-1] for m in re.findall(r'"--[a-z][a-z-]*"', sources)}
for usage, listed, _ in helps.values():
    candidates |= set(listed)
candidates.discard("--help")

for cmd, (usage, listed, shorts) in helps.items():
    ok(canon(usage, shorts) == set(listed), f"{cmd}: the usage lines name every option listed",
       f"usage {sorted(canon(usage, shorts))}, list {sorted(listed)}")
    for opt in sorted(set(listed) | set(shorts)):
        meta = listed[shorts.get(opt, opt)]
        args = [opt] + ([VALUES.get(meta, "x")] if meta else [])
        rc, out, err = run(cmd, *args, "--help")
        ok(rc == 0 and out.startswith("usage: slacklog " + cmd), f"{cmd} accepts {' '.join(args)}", err.strip())
        if meta:
            rc, out, err = run(cmd, opt)
            lines = err.strip().splitlines()
            ok(rc == 2 and len(lines) == 1 and opt in lines[0], f"{cmd} {opt} without its value: one error naming it",
               f"status {rc}: {err.strip()!r}")
    for opt in sorted(candidates - set(listed)):
        rc, out, err = run(cmd, opt, "--help")
        lines = err.strip().splitlines()
        ok(rc == 2 and len(lines) == 1 and f"unknown option '{opt}'" in lines[0],
           f"{cmd} refuses {opt}, which it does not list, with one error", f"status {rc}: {err.strip()!r}")

# ---- the man page -----------------------------------------------------------
synopsis = man.split(".SH SYNOPSIS", 1)[1].split("\n.SH ", 1)[0]
entries = {}
for part in re.split(r"\n\.(?:br|PP)\n", synopsis):
    m = re.match(r"\s*\.B slacklog ([a-z]+)", part)
    if m:
        shorts = re.findall(r"(?<![\w-])-[a-zA-Z](?![\w-])", LONG.sub("", part))
        entries[m.group(1)] = entries.get(m.group(1), set()) | set(LONG.findall(part)) | set(shorts)
for cmd, (usage, listed, shorts) in helps.items():
    ok(cmd in entries, f"the man page's SYNOPSIS has {cmd}")
    if cmd in entries:
        ok(canon(entries[cmd], shorts) == set(listed), f"the man page's SYNOPSIS gives {cmd} its options",
           f"man {sorted(canon(entries[cmd], shorts))}, help {sorted(listed)}")
    if cmd not in ("help", "version"):
        ok(f"\n.SS {cmd}\n" in man, f"the man page has a section for {cmd}")
    missing = [o for o in listed if o not in man]
    ok(not missing, f"the man page names every option of {cmd}", " ".join(missing))

# ---- the settings -----------------------------------------------------------
conf = open("src/web/conf.c").read()
keys = re.search(r"keys\[\]\s*=\s*\{(.*?)NULL", conf, re.S).group(1)
keys = set(re.findall(r'"([a-z_]+)"', keys))
ok(len(keys) >= 10, f"conf.c accepts {len(keys)} keys")
block = man.split("Keys:", 1)[1].split("\n.IR docs/slacklog.conf.example", 1)[0] if "Keys:" in man else ""
in_man = set(re.findall(r"^\.BR? ([a-z_]+)", block, re.M))
ok(in_man == keys, "the man page lists every key of the settings file",
   f"missing {sorted(keys - in_man)}, unknown {sorted(in_man - keys)}")
example = open("docs/slacklog.conf.example").read()
in_example = set(re.findall(r"^#([a-z_]+) = ", example, re.M))
ok(in_example == keys, "docs/slacklog.conf.example shows every key",
   f"missing {sorted(keys - in_example)}, unknown {sorted(in_example - keys)}")
