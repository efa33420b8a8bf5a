#!/usr/bin/env python3
"""t91-inject-gen.py VECTORS OUTDIR: an export with a script-injection
vector in every field that reaches a page.

The vectors (tests/fixtures/injection/vectors.txt) are spread over
CHANNELS channels (vector i in channel inject-NN, NN = i % CHANNELS, all
on one day, 2016-03-01) whose topic and purpose hold their vectors. Each
vector gets its own user (name, real and display names, title, avatar
URL) who writes messages carrying it in: the text as it is (Slack syntax)
and entity-escaped (as Slack exports typed text), Slack link, mention and
date shapes, mrkdwn styles, every rich_text element and layout block,
every attachment field, file fields, a reaction name, custom emoji (name,
URL and alias), a bot message's name and icon, a thread reply. Prints the
number of vectors and of fields per vector ("VECTORS FIELDS").
"""
import json
import os
import sys

CHANNELS = 12
DAY0 = 1456790400          # 2016-03-01 00:00 UTC


def load(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("# "):
            continue
        out.append(line)
    return out


def esc(s):
    """How Slack's export writes text a person typed."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rich_text(v):
    els = [
        {"type": "text", "text": v},
        {"type": "text", "text": v, "style": {"bold": True, "italic": True, "strike": True, "code": True}},
        {"type": "link", "url": v, "text": v},
        {"type": "link", "url": v},
        {"type": "link", "url": "https://example.org/", "text": v},
        {"type": "emoji", "name": v, "unicode": v},
        {"type": "user", "user_id": v},
        {"type": "channel", "channel_id": v},
        {"type": "usergroup", "usergroup_id": v},
        {"type": "broadcast", "range": v},
        {"type": "team", "team_id": v},
        {"type": "color", "value": v},
        {"type": "date", "timestamp": DAY0, "format": v, "fallback": v, "url": v},
        {"type": v, "text": v},
    ]
    return {"type": "rich_text", "block_id": "b1", "elements": [
        {"type": "rich_text_section", "elements": els},
        {"type": "rich_text_list", "style": v, "indent": 1, "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": v}]}]},
        {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": v}]},
        {"type": "rich_text_quote", "elements": [{"type": "text", "text": v}]},
    ]}


def layout_blocks(v):
    txt = lambda kind: {"type": kind, "text": v}
    return [
        {"type": "section", "text": txt("mrkdwn"), "fields": [txt("mrkdwn"), txt("plain_text")],
         "accessory": {"type": "image", "image_url": v, "alt_text": v}},
        {"type": "section", "text": txt("plain_text")},
        {"type": "header", "text": txt("plain_text")},
        {"type": "context", "elements": [txt("mrkdwn"), txt("plain_text"),
                                         {"type": "image", "image_url": v, "alt_text": v}]},
        {"type": "image", "image_url": v, "alt_text": v, "title": txt("plain_text")},
        {"type": "divider"},
        {"type": v, "text": txt("mrkdwn")},
    ]


def attachments(v):
    return [{
        "fallback": v, "color": v, "pretext": v, "author_name": v, "author_link": v,
        "author_icon": v, "title": v, "title_link": v, "text": v,
        "fields": [{"title": v, "value": v, "short": True}], "image_url": v, "thumb_url": v,
        "footer": v, "footer_icon": v, "ts": DAY0, "from_url": v, "original_url": v,
        "service_name": v, "service_icon": v, "mrkdwn_in": ["text", "pretext", "fields"],
    }, {
        "is_msg_unfurl": True, "author_name": v, "author_link": v, "text": v, "from_url": v,
        "channel_id": v, "footer": v, "ts": v,
    }, {"title": "safe", "title_link": v, "text": "", "image_url": v}]


def files(v, i):
    return [{
        "id": "F%04d" % i, "name": v, "title": v, "mimetype": "image/png", "filetype": v,
        "pretty_type": v, "user": "U%04d" % i, "size": 1, "mode": "hosted",
        "url_private": v, "url_private_download": v, "permalink": v, "permalink_public": v,
        "thumb_64": v, "thumb_360": v, "thumb_480": v, "preview": v, "plain_text": v,
    }, {"id": "F%04db" % i, "name": "a.txt", "title": "a", "mode": "tombstone"}]


def messages(v, i, chan_id):
    uid = "U%04d" % i
    base = DAY0 + 3600 + i * 60
    n = [0]

    def m(**kw):
        n[0] += 1
        ts = "%d.%06d" % (base, n[0])
        d = {"type": "message", "user": uid, "text": "", "ts": ts}
        d.update(kw)
        return d

    out = [
        m(text=v),
        m(text=esc(v)),
        m(text="<%s> <%s|%s> <https://example.org/|%s> <mailto:%s|%s>" % (v, v, v, v, v, v)),
        m(text="<@%s> <#%s> <@%s|%s> <#%s|%s> <!subteam^S1|%s> <!here|%s> <!date^%d^{date}|%s>"
          % (uid, chan_id, uid, v, chan_id, v, v, v, DAY0, v)),
        m(text="*%s*\n_%s_\n~%s~\n`%s`\n```%s```\n>%s\n:%s:" % ((esc(v),) * 7)),
        m(text="blocks", blocks=[rich_text(v)]),
        m(text="layout", blocks=layout_blocks(v)),
        m(text="attachments", attachments=attachments(v)),
        m(text="files", files=files(v, i), upload=True),
        m(text="reactions", reactions=[{"name": v, "users": [uid], "count": 1},
                                       {"name": "inj%d" % i, "users": [uid], "count": 1}]),
        m(text=":inj%d: :%s: :alias%d:" % (i, v, i)),
        m(subtype="bot_message", bot_id="B1", username=v, icons={"image_48": v, "emoji": v},
          text=v, user=None),
        m(subtype="channel_topic", topic=v, text="set the channel topic: " + esc(v)),
        m(subtype="channel_purpose", purpose=v, text="set the channel purpose: " + esc(v)),
        m(subtype="me_message", text=esc(v)),
    ]
    parent = out[0]
    parent.update(thread_ts=parent["ts"], reply_count=1, replies=[{"user": uid, "ts": parent["ts"][:-2] + "99"}])
    out.append(m(text=esc(v), thread_ts=parent["ts"], parent_user_id=uid))
    out[-1]["ts"] = parent["ts"][:-2] + "99"
    for d in out:
        if d.get("user") is None:
            d.pop("user", None)
    return out


def main():
    vectors = load(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    channels, users, emoji = [], [], {}
    per_channel = {}
    for i, v in enumerate(vectors):
        per_channel.setdefault(i % CHANNELS, []).append((i, v))
        users.append({"id": "U%04d" % i, "name": "v%d" % i, "real_name": v, "deleted": False,
                      "profile": {"display_name": v, "real_name": v, "title": v, "first_name": v,
                                  "image_72": v, "image_48": v, "image_192": v,
                                  "status_text": v, "status_emoji": ":%s:" % v}})
        emoji["inj%d" % i] = v
        emoji[v] = "https://example.org/e.png"
        emoji["alias%d" % i] = "alias:" + v
    for k, items in sorted(per_channel.items()):
        cid, name = "C%04d" % k, "inject-%02d" % k
        joined = " ".join(v for _, v in items)
        channels.append({"id": cid, "name": name, "created": DAY0, "creator": "U0000",
                         "is_channel": True, "is_private": False, "is_archived": False,
                         "topic": {"value": joined, "creator": "U0000", "last_set": DAY0},
                         "purpose": {"value": joined, "creator": "U0000", "last_set": DAY0}})
        os.makedirs(os.path.join(out, name), exist_ok=True)
        day = []
        for i, v in items:
            day += messages(v, i, cid)
        day.sort(key=lambda d: d["ts"])
        with open(os.path.join(out, name, "2016-03-01.json"), "w") as f:
            json.dump(day, f, indent=1)
    for name, data in (("channels.json", channels), ("users.json", users),
                       ("emoji.json", {"ok": True, "emoji": emoji})):
        with open(os.path.join(out, name), "w") as f:
            json.dump(data, f, indent=1)
    fields = len(messages("x", 0, "C0"))
    print(len(vectors), fields)


main()
