#!/usr/bin/env python3
"""t1-stats.py EXPORT ZONE: what `slacklog stats --json` must say after
importing EXPORT (a directory or a .zip) into an empty archive with --tz ZONE.
t1-stats.py --compare LABEL EXPECTED ACTUAL: one "ok"/"not ok" line per
channel, and for the totals, comparing two such JSON files.
t1-stats.py --sql DB QUERY: the query's rows, one per line, columns joined
with "|" (python's sqlite3, so tests need no sqlite3 program).
t1-stats.py --dump DB: every row of the tables that hold what was ingested
(messages without their row id, reactions, the order kept of events), one
per line, sorted: two archives with the same dump hold the same.

Computed straight from the export's JSON with the rules of
../shared/docs/slack-format.md, independently of slacklog's code:
- folders map to conversations through channels/groups/mpims/dms.json (by
  name, DMs by ID); a folder nothing describes gets "X" + the first ten hex
  digits of SHA-1 of its path;
- a message is (channel, ts); duplicates merge, the copy with the newest
  edited.ts wins;
- a channel's "messages" counts every message record;
- "days" counts what each day page shows: no channel/group joins or leaves,
  and a thread reply on its parent's day when the parent is present; days
  are taken from ts in ZONE, never from file names;
- "users": users.json plus authors known only from an embedded user_profile.
"""
import datetime
import hashlib
import json
import os
import re
import sys
import zipfile
from zoneinfo import ZoneInfo

HIDDEN = {"channel_join", "channel_leave", "group_join", "group_leave"}
DAY_FILE = re.compile(r"\d{4}-\d\d-\d\d\.json")


def entries(src):
    if os.path.isdir(src):
        for root, _, files in os.walk(src):
            for f in files:
                path = os.path.join(root, f)
                with open(path, "rb") as fh:
                    yield os.path.relpath(path, src), fh.read()
        return
    with zipfile.ZipFile(src) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            name = info.filename
            if not info.flag_bits & 0x800:   # Slack's names are UTF-8 without the flag
                name = name.encode("cp437").decode("utf-8")
            yield name, z.read(info)


def canon(ts):
    sec, _, frac = str(ts).partition(".")
    return "%010d.%s" % (int(sec), (frac + "000000")[:6])


def load(raw):
    v = json.loads(raw) if raw.strip() else []
    return v if isinstance(v, list) else []


def main(src, zone):
    files = dict(entries(src))
    users = load(files.get("users.json", b"[]"))
    user_ids = {u["id"] for u in users if isinstance(u, dict) and u.get("id")}
    names = {u["id"]: u.get("name") or u["id"] for u in users if isinstance(u, dict) and u.get("id")}
    folders, convs = {}, {}
    for fname, kind in (("channels.json", "public"), ("groups.json", "private"),
                        ("mpims.json", "mpim"), ("dms.json", "dm")):
        for c in load(files.get(fname, b"[]")):
            if not isinstance(c, dict) or not c.get("id"):
                continue
            k = "mpim" if c.get("is_mpim") else "private" if kind == "public" and c.get("is_private") else kind
            if kind == "dm":
                name = "--".join(names.get(m, m) for m in (c.get("members") or [])) or c["id"]
            else:
                name = c.get("name") or c["id"]
            convs.setdefault(c["id"], {"id": c["id"], "name": name, "kind": k})
            if kind != "dm":
                folders.setdefault(name, c["id"])
            folders.setdefault(c["id"], c["id"])
    messages = {}
    profiles = set()
    for path, raw in sorted(files.items()):
        parts = path.split("/")
        if len(parts) != 2 or not DAY_FILE.fullmatch(parts[1]):
            continue
        folder = parts[0]
        if folder not in folders:
            cid = "X" + hashlib.sha1(folder.encode()).hexdigest()[:10].upper()
            kind = "mpim" if folder.startswith("mpdm-") else \
                "dm" if re.fullmatch(r"D[A-Z0-9]{8,}", folder) else "private"
            convs[cid] = {"id": cid, "name": folder, "kind": kind}
            folders[folder] = cid
        cid = folders[folder]
        for m in load(raw):
            if not isinstance(m, dict) or m.get("ts") is None:
                continue
            key = (cid, canon(m["ts"]))
            edited = lambda x: canon((x.get("edited") or {}).get("ts") or 0)
            if key not in messages or edited(m) > edited(messages[key]):
                messages[key] = m
            if isinstance(m.get("user_profile"), dict) and m.get("user"):
                profiles.add(m["user"])
    tz = ZoneInfo(zone)
    day = lambda ts: datetime.datetime.fromtimestamp(int(ts.split(".")[0]), tz).strftime("%Y-%m-%d")
    for c in convs.values():
        c["messages"], c["days"] = 0, {}
    for (cid, ts), m in messages.items():
        c = convs[cid]
        c["messages"] += 1
        if m.get("subtype") in HIDDEN:
            continue
        parent = canon(m["thread_ts"]) if m.get("thread_ts") is not None else None
        d = day(parent) if parent and parent != ts and (cid, parent) in messages else day(ts)
        c["days"][d] = c["days"].get(d, 0) + 1
    out = {
        "channels": sorted(convs.values(), key=lambda c: (c["name"], c["id"])),
        "users": len(user_ids | profiles),
        "messages": len(messages),
        "time_zone": zone,
        # an export describes every conversation it has: no kind is unknown
        "waiting": {"type": 0, "name": sum(c["kind"] == "public" and c["name"] == c["id"] for c in convs.values())},
    }
    json.dump(out, sys.stdout, sort_keys=True, ensure_ascii=False)
    print()


def compare(label, expected_file, actual_file):
    with open(expected_file) as f:
        want = json.load(f)
    try:
        with open(actual_file) as f:
            got = json.load(f)
    except ValueError as e:
        print("not ok - %s: stats --json is not JSON: %s" % (label, e))
        return
    def line(ok, what, detail=""):
        print("%s - %s: %s%s" % ("ok" if ok else "not ok", label, what, "" if ok else ": " + detail))
    gc = {c["id"]: c for c in got.get("channels", [])}
    line([c["id"] for c in want["channels"]] == [c["id"] for c in got.get("channels", [])],
         "channels and their order", "got %s" % list(gc))
    for c in want["channels"]:
        g = gc.get(c["id"], {})
        line(g == c, "channel %s (%s, %d messages, %d days)" % (c["name"], c["kind"], c["messages"], len(c["days"])),
             "got %s, want %s" % (json.dumps(g, sort_keys=True), json.dumps(c, sort_keys=True)))
    for k in ("users", "messages", "time_zone"):
        line(got.get(k) == want[k], "%s = %s" % (k, want[k]), "got %s" % got.get(k))


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        compare(*sys.argv[2:5])
    elif sys.argv[1] == "--dump":
        import sqlite3
        db = sqlite3.connect(sys.argv[2])
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for t in ("messages", "reactions", "reacted", "deleted", "channels", "users", "emoji", "settings"):
            cols = [r[1] for r in db.execute("PRAGMA table_info(%s)" % t) if r[1] != "id"] if t in tables else []
            where = " WHERE key LIKE 'ev:%'" if t == "settings" else ""
            for row in sorted(db.execute("SELECT %s FROM %s%s" % (", ".join(cols), t, where)), key=repr) if cols else []:
                print(t, "|".join("" if v is None else str(v) for v in row))
    elif sys.argv[1] == "--sql":
        import sqlite3
        for row in sqlite3.connect(sys.argv[2]).execute(sys.argv[3]):
            print("|".join("" if v is None else str(v) for v in row))
    else:
        main(sys.argv[1], sys.argv[2])
