#!/usr/bin/env python3
"""Generates the labelled detector corpus (pages + manifest.tsv).

    python3 tests/corpus/gen/gen.py [OUTDIR]     (default: tests/corpus)

Deterministic: the same script writes the same bytes, so regenerating
and committing shows only real changes.  The pages are committed; CI does
not run this.  Labels are decided here, next to the code that injects the
attack, so a label cannot drift from what a page really contains.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import attacks as A  # noqa: E402
import texts as T  # noqa: E402
from page import Page, FEATURES  # noqa: E402
from sites import GOV, SOE, EDU, build_sites  # noqa: E402

SITES = build_sites()
BY_KIND = {k: [s for s in SITES if s.kind == k] for k in (GOV, SOE, EDU)}
PTYPES = ["home", "home", "home", "list", "article", "service", "interact"]


class Case:
    def __init__(self, path, expected, note, site, url_path="/", charset="utf-8"):
        self.path = path  # file of the checked page, relative to the corpus
        self.expected = sorted(set(expected))
        self.note = note
        self.site = site
        self.url = "http://%s%s" % (site.host, url_path) if site else None
        self.charset = charset
        self.files = {}  # relative path -> (html, charset)
        self.baselines = []
        self.charset_arg = charset != "utf-8"
        self.extra_args = []  # e.g. ["--as-spider", "cloak/c01/spider.html"]

    def args(self):
        a = ["--url", self.url]
        for b in self.baselines:
            a += ["--baseline", b]
        if self.charset_arg:
            a += ["--charset", "gbk"]
        return " ".join(a + self.extra_args)


CASES = []


def pick_site(r, kinds=(GOV, GOV, GOV, SOE, EDU)):
    return r.choice(BY_KIND[r.choice(kinds)])


def pick_charset(r, p=0.15):
    x = r.random()
    if x < p * 0.7:
        return "gbk"
    if x < p:
        return "gb2312"
    return "utf-8"


def url_path(ptype, r):
    return "/" if ptype == "home" else "/col/col%d/%s" % (r.randint(1000, 9999), r.choice(["index.html", "art_%d.html" % r.randint(1, 999)]))


def single(dirname, idx, expected, note, r, build, kinds=(GOV, GOV, GOV, SOE, EDU), ptype=None, charset=None, **pkw):
    """One page case; build(page, r) injects the attack and may return a note suffix."""
    site = pick_site(r, kinds)
    ptype = ptype or r.choice(PTYPES)
    cs = charset or pick_charset(r)
    p = Page(site, "%s%03d" % (dirname, idx), ptype=ptype, charset=cs, **pkw)
    extra = build(p, r) if build else None
    c = Case("%s/%s%03d.html" % (dirname, dirname[:2], idx), expected, note + (("; " + extra) if extra else ""),
             site, url_path(ptype, r), cs)
    if cs != "utf-8" and r.random() < .25:
        c.charset_arg = False  # the page's <meta> alone must say it
        c.note += "; charset from meta only"
    c.files[c.path] = (p.render(), cs)
    CASES.append(c)
    return c


# ---------------------------------------------------------------- dark links
DL_SLOTS = ["pre", "head_top", "body_top", "after_nav", "main_top", "main_end", "table_cell", "footer", "body_end", "post"]


def darklink_block(p, r, tech, n=None):
    n = n or r.choice([1, 2, 3, 5, 8, 12, 20, 30])
    links = A.spam_links(r, n, encode=r.random() < .15)
    css, html = A.DARKLINK[tech](r, links, p.site.bg)
    slots = [s for s in DL_SLOTS if not (tech == "same-color" and s == "footer")]
    if tech == "noscript":
        slots = [s for s in slots if s not in ("pre", "head_top")]
    slot = r.choice(slots)
    if css:
        if r.random() < .5:
            p.add("head_end", css)
        else:
            html = css + html
    p.add(slot, html)
    return "%d links, %s" % (n, slot)


def gen_darklinks(r):
    i = 0
    for tech in A.DARKLINK:
        for _ in range(5):
            i += 1

            def build(p, rr, tech=tech):
                note = darklink_block(p, rr, tech)
                if rr.random() < .15:
                    t2 = rr.choice([t for t in A.DARKLINK if t != tech])
                    note += "; plus " + t2 + " " + darklink_block(p, rr, t2)
                return note
            single("darklink", i, ["darklink"], "darklink " + tech, r, build)


# ---------------------------------------------------------------- trojans
TJ_SLOTS = ["pre", "head_top", "head_end", "body_top", "main_end", "footer", "body_end", "post"]
TJ_PLAN = [("hidden-iframe", 7), ("foreign-script", 7), ("eval-unescape", 4), ("fromcharcode", 4), ("atob", 4),
           ("hex-string", 4), ("packed", 4), ("docwrite-script", 5), ("referrer-redirect", 7), ("mobile-redirect", 4),
           ("meta-refresh", 4), ("location-redirect", 4), ("crypto-miner", 6)]


def trojan_block(p, r, tech):
    html = A.tj_obfuscated(r, tech) if tech in A.OBFUSCATORS else A.TROJAN[tech](r)
    slots = ["head_top", "head_end", "pre"] if tech == "meta-refresh" else TJ_SLOTS
    slot = r.choice(slots)
    p.add(slot, html)
    return slot


def gen_trojans(r):
    i = 0
    for tech, n in TJ_PLAN:
        for _ in range(n):
            i += 1
            single("trojan", i, ["trojan"], "trojan " + tech, r, lambda p, rr, tech=tech: trojan_block(p, rr, tech))


# ---------------------------------------------------------------- sensitive
def sensitive_block(p, r, cat):
    phrases = r.sample(A.SENSITIVE[cat], r.randint(1, 3))
    where = r.choice(["guestbook", "comment", "ad-block", "footer-ad", "search-echo", "paragraph"])
    contact = r.choice(["联系QQ：%d" % r.randint(10000000, 999999999), "微信：%s%d" % (r.choice(["vip", "kf", "zz"]), r.randint(100, 9999)),
                        "网址：%s" % A.spam_domain(r), ""])
    if where == "guestbook":
        rows = "".join('<tr><td>网友%d</td><td>%s %s</td><td>2024-%02d-%02d</td></tr>' % (
            r.randint(100, 999), ph, contact, r.randint(1, 12), r.randint(1, 28)) for ph in phrases)
        html, slot = '<div class="lybox"><h3>最新留言</h3><table>%s</table></div>' % rows, "main_top"
    elif where == "comment":
        html, slot = '<div class="comments"><h4>网友评论</h4>%s</div>' % "".join(
            '<div class="cm"><b>匿名用户：</b>%s %s</div>' % (ph, contact) for ph in phrases), "main_end"
    elif where == "ad-block":
        html, slot = '<div class="ad" style="border:1px solid #f60;padding:8px">%s</div>' % " ".join(
            '<a href="http://%s/" target="_blank" style="color:red;font-size:14px">%s</a>' % (A.spam_domain(r), ph)
            for ph in phrases), r.choice(["body_top", "after_nav", "main_top"])
    elif where == "footer-ad":
        html, slot = '<p class="tip">%s %s</p>' % (" ".join(phrases), contact), "footer"
    elif where == "search-echo":
        html, slot = '<div class="search-result">您搜索的“%s”共找到 0 条结果，请更换关键词重试。</div>' % phrases[0], "main_top"
    else:
        html, slot = "<p>%s，%s</p>" % ("；".join(phrases), contact), r.choice(["main_top", "main_end", "table_cell"])
    p.add(slot, html)
    return where


def gen_sensitive(r):
    i = 0
    for cat, n in [("political", 6), ("violent", 7), ("porn", 7), ("gambling", 8), ("fraud", 8)]:
        for _ in range(n):
            i += 1
            single("sensitive", i, ["sensitive"], "sensitive " + cat, r,
                   lambda p, rr, cat=cat: sensitive_block(p, rr, cat),
                   ptype=r.choice(["home", "interact", "article", "interact"]))


# ---------------------------------------------------------------- compliance
def gen_compliance(r):
    plan = ([("gov", ["icp"])] * 4 + [("gov", ["gongan"])] * 4 + [("gov", ["sitecode"])] * 5 + [("gov", ["conac"])] * 5 +
            [("gov", ["sponsor"])] * 4 + [("gov", ["icp", "gongan"]), ("gov", ["sitecode", "conac"]),
                                          ("gov", ["icp", "gongan", "sitecode", "conac", "sponsor"])] +
            [("other", ["icp"])] * 4 + [("other", ["gongan"])] * 4 + [("other", ["icp", "gongan"])])
    for i, (k, omit) in enumerate(plan, 1):
        kinds = (GOV,) if k == "gov" else (SOE, EDU)
        single("compliance", i, ["compliance"], "compliance missing " + "+".join(omit), r, None, kinds=kinds, omit=omit)


# ---------------------------------------------------------------- exposure
def gen_exposure(r):
    def listing(title, rows, style):
        if style == "apache":
            body = "".join('<tr><td valign="top"><img src="/icons/%s.gif" alt="[   ]"></td><td><a href="%s">%s</a></td>'
                           '<td align="right">2024-0%d-1%d 10:%02d  </td><td align="right">%s</td><td>&nbsp;</td></tr>'
                           % ("folder" if n.endswith("/") else "compressed", n, n, r.randint(1, 9), r.randint(0, 9),
                              r.randint(0, 59), "-" if n.endswith("/") else "%dM" % r.randint(1, 900)) for n in rows)
            return ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n  <title>Index of %s</title>\n'
                    ' </head>\n <body>\n<h1>Index of %s</h1>\n  <table>\n   <tr><th valign="top"><img src="/icons/blank.gif" '
                    'alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th>'
                    '<th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>\n'
                    '   <tr><th colspan="5"><hr></th></tr>\n<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]">'
                    '</td><td><a href="/">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>\n'
                    '%s\n   <tr><th colspan="5"><hr></th></tr>\n</table>\n<address>Apache/2.4.%d (CentOS) Server at %%s Port 80</address>\n'
                    '</body></html>\n' % (title, title, body, r.randint(6, 58)))
        body = "".join('<a href="%s">%s</a>%s%02d-Mar-2024 0%d:%02d %20s\n' % (n, n, " " * (51 - len(n)), r.randint(1, 28),
                       r.randint(0, 9), r.randint(0, 59), "-" if n.endswith("/") else str(r.randint(1000, 99999999))) for n in rows)
        return ('<html>\r\n<head><title>Index of %s</title></head>\r\n<body>\r\n<h1>Index of %s</h1><hr><pre>'
                '<a href="../">../</a>\r\n%s</pre><hr></body>\r\n</html>\r\n' % (title, title, body))

    def phpinfo():
        rows = [("System", "Linux web01 3.10.0-1160.el7.x86_64 #1 SMP x86_64"), ("Server API", "FPM/FastCGI"),
                ("Loaded Configuration File", "/etc/php.ini"), ("PHP Version", "5.6.%d" % r.randint(10, 40)),
                ("DOCUMENT_ROOT", "/data/wwwroot/default"), ("disable_functions", "no value"),
                ("allow_url_fopen", "On"), ("mysql.default_password", "no value")]
        tr = "".join('<tr><td class="e">%s </td><td class="v">%s </td></tr>\n' % x for x in rows)
        return ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "DTD/xhtml1-transitional.dtd">\n'
                '<html xmlns="http://www.w3.org/1999/xhtml"><head>\n<style type="text/css">\nbody {background-color: #fff; color: #222;}\n'
                '.e {background-color: #ccf; width: 300px; font-weight: bold;}\n.v {background-color: #ddd;}\n</style>\n'
                '<title>phpinfo()</title><meta name="ROBOTS" content="NOINDEX,NOFOLLOW,NOARCHIVE" /></head>\n<body><div class="center">\n'
                '<table>\n<tr class="h"><td>\n<h1 class="p">PHP Version %s</h1>\n</td></tr>\n</table>\n<table>\n%s</table>\n'
                '<h2>Configuration</h2>\n</div></body></html>\n' % (rows[3][1], tr))
    plan = [("apache", "/upload/", ["2023/", "2024/", "backup.zip", "db_20240301.sql.gz"]),
            ("nginx", "/backup/", ["www.tar.gz", "www_bak_0315.zip", "config.php.bak", "data/"]),
            ("apache", "/files/", ["attach/", "temp/", "old_site.rar"]),
            ("nginx", "/", ["admin/", "css/", "images/", "index.html", "web.rar"]),
            ("phpinfo", "/phpinfo.php", None), ("phpinfo", "/test.php", None), ("phpinfo", "/info.php", None)]
    for i, (style, path, rows) in enumerate(plan, 1):
        site = pick_site(r)
        c = Case("exposure/ex%03d.html" % i, ["exposure", "compliance"],
                 "exposure %s (no portal footer, so no filing marks either)" % ("phpinfo" if style == "phpinfo" else "directory listing " + style),
                 site, path)
        html = phpinfo() if style == "phpinfo" else listing(path, rows, style)
        c.files[c.path] = (html.replace("%s Port", site.host + " Port") if "%s Port" in html else html, "utf-8")
        CASES.append(c)


# ---------------------------------------------------------------- defacement
def hacker_page(r, extra=""):
    h = r.choice(T.HANDLES)
    lines = r.sample(T.HACKER_LINES, 3)
    mus = '<embed src="http://%s/bg.mp3" hidden="true" autostart="true" loop="true">' % A.evil_host(r) if r.random() < .4 else ""
    return ('<html><head><meta charset="utf-8"><title>Hacked By %s</title></head>\n<body bgcolor="black" text="#00ff00">'
            '<center><br><br><img src="http://%s/skull.gif"><h1><font color="red">Hacked By %s</font></h1>\n<h2>%s</h2><p>%s</p><p>%s</p>'
            '<marquee>Greetz: %s</marquee>%s%s</center></body></html>\n' % (
                h, A.evil_host(r), h, lines[0], lines[1], lines[2], " - ".join(r.sample(T.HANDLES, 3)), mus, extra))


def banner(r, text=None):
    h = r.choice(T.HANDLES)
    text = text or r.choice(["Hacked By %s" % h, "%s 到此一游" % h, "本站已被 %s 黑客入侵" % h, "Owned by %s" % h])
    return r.choice([
        '<div style="background:#000;color:#0f0;font-size:30px;text-align:center;padding:30px">%s<br><small>%s</small></div>',
        '<h1 style="color:red;text-align:center">%s</h1><p style="text-align:center">%s</p>',
        '<div id="hk"><marquee scrollamount="8"><font size="6" color="red">%s</font></marquee><p>%s</p></div>',
        '<table width="100%%" bgcolor="#000000"><tr><td align="center"><font color="#ff0000" size="7">%s</font><br>'
        '<font color="#fff">%s</font></td></tr></table>']) % (text, r.choice(T.HACKER_LINES))


DF_PLAN = [("title-change", 7), ("replaced-page", 7), ("injected-banner", 8), ("text-change", 6), ("image-replaced", 6),
           ("title+banner", 2), ("political-banner", 4)]


def deface_case(r, i, tech, extra_kinds=(), extra_build=None, dirname="deface"):
    site = pick_site(r)
    ptype = r.choice(["home", "home", "home", "list", "article"])
    cs = pick_charset(r, .12)
    seed = "%s%02d" % (dirname, i)
    d = "%s/d%02d" % (dirname, i)
    nb = r.choice([1, 2, 2, 3, 3])
    c = Case(d + "/page.html", ["defacement"] + list(extra_kinds), "defacement " + tech, site, url_path(ptype, r), cs)
    for v in range(1, nb + 1):
        b = "%s/base%d.html" % (d, v)
        c.files[b] = (Page(site, seed, ptype=ptype, version=v, charset=cs).render(), cs)
        c.baselines.append(b)
    kw = {}
    h = r.choice(T.HANDLES)
    if tech == "title-change":
        kw["title"] = r.choice(["Hacked By %s" % h, "%s was here" % h, "网站已被黑 - %s" % h, "本站已被入侵",
                                "欢迎光临我的个人主页", "测试页面 请勿访问", "404 Not Found - %s" % h])
    elif tech == "text-change":
        kw["main_replace"] = '<div class="article"><h1>%s</h1><p>%s</p><p>%s</p></div>' % (
            r.choice(["公告", "致网站管理员的一封信", "本站说明", "Notice"]), r.choice(T.ATTACKER_TEXTS), r.choice(T.ATTACKER_TEXTS))
    elif tech == "image-replaced":
        kw["key_image"] = r.choice([("http://%s/hacked.jpg" % A.evil_host(r), "Hacked by %s" % h),
                                    ("http://%s/i/%d.gif" % (A.evil_host(r), r.randint(1, 99)), ""),
                                    ("/upload/hk_%s.jpg" % h.lower().replace(".", ""), "%s" % h)])
    p = Page(site, seed, ptype=ptype, version=nb + 1, charset=cs, **kw)
    if tech in ("injected-banner", "title+banner"):
        p.add(r.choice(["body_top", "after_nav", "main_top"]), banner(r))
        if tech == "title+banner":
            p.title = "Hacked By %s" % h
    if tech == "political-banner":
        p.add(r.choice(["body_top", "after_nav", "main_top"]), banner(r, r.choice(T.POLITICAL_BANNERS)))
    if extra_build:
        c.note += "; " + extra_build(p, r)
    if tech == "replaced-page":
        html = hacker_page(r, A.tj_miner(r) if "trojan" in extra_kinds else "")
        c.expected = sorted(set(c.expected + ["compliance"]))
        c.note += " (hacker page has no footer marks)"
        c.files[c.path] = (html, "utf-8")
        c.charset_arg = False
    else:
        c.files[c.path] = (p.render(), cs)
    if cs != "utf-8" and tech != "replaced-page" and r.random() < .25:
        c.charset_arg = False
        c.note += "; charset from meta only"
    CASES.append(c)


def gen_deface(r):
    i = 0
    for tech, n in DF_PLAN:
        for _ in range(n):
            i += 1
            deface_case(r, i, tech, ("sensitive",) if tech == "political-banner" else ())


# ---------------------------------------------------------------- mixed
def gen_mixed(r):
    i = 0

    def mk(expected, note, build, **kw):
        nonlocal i
        i += 1
        single("mixed", i, expected, note, r, build, **kw)

    for _ in range(5):
        mk(["darklink", "trojan"], "darklink + trojan",
           lambda p, rr: darklink_block(p, rr, rr.choice(list(A.DARKLINK))) + "; " + trojan_block(
               p, rr, rr.choice(["foreign-script", "referrer-redirect", "hidden-iframe", "eval-unescape", "packed"])))
    for _ in range(3):
        mk(["darklink", "sensitive"], "darklink + visible spam",
           lambda p, rr: darklink_block(p, rr, rr.choice(list(A.DARKLINK))) + "; " + sensitive_block(
               p, rr, rr.choice(["gambling", "porn", "fraud"])), ptype="interact")
    for _ in range(2):
        mk(["trojan", "compliance"], "trojan + footer marks missing",
           lambda p, rr: trojan_block(p, rr, rr.choice(["crypto-miner", "atob", "mobile-redirect"])), omit=["icp", "gongan"])
    mk(["darklink", "compliance"], "darklink + missing sitecode (gov)",
       lambda p, rr: darklink_block(p, rr, "display-none"), kinds=(GOV,), omit=["sitecode"])
    mk(["trojan", "sensitive"], "referrer redirect + visible gambling ad",
       lambda p, rr: trojan_block(p, rr, "referrer-redirect") + "; " + sensitive_block(p, rr, "gambling"))

    # Attacks with baselines: invisible injections are not defacement.
    j = 0
    for tech in ["display-none", "style-block-class", "foreign-script", "hidden-iframe"]:
        j += 1
        site = pick_site(r)
        seed = "mixb%02d" % j
        d = "mixed/b%02d" % j
        nb = r.choice([1, 2, 3])
        kind = "darklink" if tech in A.DARKLINK else "trojan"
        c = Case(d + "/page.html", [kind], "%s %s with baseline (invisible injection, not defacement)" % (kind, tech), site)
        for v in range(1, nb + 1):
            b = "%s/base%d.html" % (d, v)
            c.files[b] = (Page(site, seed, version=v).render(), "utf-8")
            c.baselines.append(b)
        p = Page(site, seed, version=nb + 1)
        c.note += "; " + (darklink_block(p, r, tech) if kind == "darklink" else trojan_block(p, r, tech))
        c.files[c.path] = (p.render(), "utf-8")
        CASES.append(c)
    # Defacements that also carry other attacks.
    deface_case(r, 1, "injected-banner", ("darklink",), lambda p, rr: darklink_block(p, rr, "display-none"), "mixdf")
    deface_case(r, 2, "replaced-page", ("trojan",), None, "mixdf")
    deface_case(r, 3, "text-change", ("trojan",), lambda p, rr: trojan_block(p, rr, "foreign-script"), "mixdf")


# ---------------------------------------------------------------- cloaking
def gen_cloaking(r):
    """The page as a visitor gets it is clean; the copy fetched as a search
    spider (--as-spider) or with a search-engine Referer (--from-search)
    carries spam links or a redirect.  Honest cases: the copies match."""
    plan = ([("darklink", "spider-only spam links")] * 3 + [("darklink", "spider-only spam title and links")] * 2 +
            [("trojan", "redirect only for search visitors")] * 3 + [("honest", "spider copy identical")] * 2 +
            [("honest", "search-visitor copy with rotated carousel")] * 2)
    for i, (kind, what) in enumerate(plan, 1):
        site = pick_site(r)
        seed = "cloak%02d" % i
        d = "cloak/c%02d" % i
        ptype = r.choice(["home", "home", "list"])
        c = Case(d + "/page.html", [] if kind == "honest" else [kind], "%s cloaking: %s" % (kind, what), site,
                 url_path(ptype, r))
        c.files[c.path] = (Page(site, seed, ptype=ptype, version=1).render(), "utf-8")
        if kind == "darklink":
            other = Page(site, seed, ptype=ptype, version=1)
            if "title" in what:
                other.title = "%s_%s_%s" % (r.choice(A.SPAM_TEXT), r.choice(A.SPAM_TEXT), site.name)
            other.add(r.choice(["body_top", "main_top", "footer", "body_end"]),
                      '<div class="links">%s</div>' % A.spam_links(r, r.choice([8, 15, 30])))
            opt, name = "--as-spider", "spider.html"
        elif kind == "trojan":
            other = Page(site, seed, ptype=ptype, version=1)
            other.add("head_top", r.choice([A.tj_meta_refresh(r), A.tj_location(r)]))
            opt, name = "--from-search", "search.html"
        else:
            other = Page(site, seed, ptype=ptype, version=1 if "identical" in what else 2, features={"carousel"})
            if "identical" not in what:
                c.files[c.path] = (Page(site, seed, ptype=ptype, version=1, features={"carousel"}).render(), "utf-8")
            opt, name = ("--as-spider", "spider.html") if "spider" in what else ("--from-search", "search.html")
        c.files["%s/%s" % (d, name)] = (other.render(), "utf-8")
        c.extra_args = [opt, "%s/%s" % (d, name)]
        CASES.append(c)


# ---------------------------------------------------------------- honest
def gen_honest(r):
    i = 0
    feats = list(FEATURES)
    # Anti-crime notices: words of crime, context of fighting it.
    for topic, (title, paras) in sorted(T.NOTICES.items()):
        for _ in range(2):
            i += 1
            kinds = (GOV,) if topic != "loan-warning" else (GOV, EDU)

            def build(p, rr, title=title, paras=paras):
                p.notice = "<h1>%s</h1>%s" % (p.fmt(title), "".join("<p>%s</p>" % p.fmt(x) for x in paras))
                return None
            single("honest", i, [], "honest notice " + topic, r, build, kinds=kinds, ptype="notice")
    # Every tempting feature forced on in several pages, with others at random.
    for k in range(len(feats) * 2 + 8):
        i += 1
        force = {feats[k % len(feats)], r.choice(feats), r.choice(feats)}
        single("honest", i, [], "honest " + "+".join(sorted(force)), r, None, features=force,
               charset=pick_charset(r, .25))
    # Pages with baselines whose dynamic regions changed (news, dates, counters, carousel order).
    for k in range(1, 19):
        site = pick_site(r)
        seed = "hb%02d" % k
        d = "honest/b%02d" % k
        ptype = r.choice(["home", "home", "list"])
        cs = pick_charset(r, .2)
        nb = r.choice([1, 2, 3])
        force = {"counter", "carousel", r.choice(feats)}
        c = Case(d + "/page.html", [], "honest with %d baselines, dynamic regions changed (%s)" % (nb, "+".join(sorted(force))),
                 site, url_path(ptype, r), cs)
        for v in range(1, nb + 1):
            b = "%s/base%d.html" % (d, v)
            c.files[b] = (Page(site, seed, ptype=ptype, version=v, charset=cs, features=force).render(), cs)
            c.baselines.append(b)
        c.files[c.path] = (Page(site, seed, ptype=ptype, version=nb + 1, charset=cs, features=force).render(), cs)
        CASES.append(c)


def write(out):
    rows = []
    seen = set()
    for c in CASES:
        assert c.path not in seen, c.path
        seen.add(c.path)
        for rel, (html, cs) in c.files.items():
            path = os.path.join(out, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            data = html.encode("gbk" if cs in ("gbk", "gb2312") else "utf-8")  # strict: fail on unencodable text
            with open(path, "wb") as f:
                f.write(data)
        rows.append("\t".join([c.path, ",".join(c.expected) or "-", c.args(), c.note]))
    with open(os.path.join(out, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("# FILE\tEXPECTED\tARGS\tNOTE  (generated by gen/gen.py; see README.md)\n")
        f.write("\n".join(rows) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    r = random.Random(20240601)
    gen_darklinks(r)
    gen_trojans(r)
    gen_sensitive(r)
    gen_compliance(r)
    gen_exposure(r)
    gen_deface(r)
    gen_mixed(r)
    gen_honest(r)
    gen_cloaking(r)
    write(out)
    att = sum(1 for c in CASES if c.expected)
    print("%d cases: %d attack, %d honest" % (len(CASES), att, len(CASES) - att), file=sys.stderr)


if __name__ == "__main__":
    main()
