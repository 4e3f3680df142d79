"""Builds one full, honest portal page of a site, with slots where the
generator injects attacks.

Two random streams: `s` (structure) is drawn the same way for a page and
its baselines, `d` (dynamic) differs per version, so baselines and the
page differ exactly in the regions a real site changes on its own (news
list, dates, visitor counter, weather, carousel order).  Structure must
never be drawn from `d` and vice versa, or versions would drift apart.
"""
import random

import content as C
from sites import GOV, SOE, EDU

SLOTS = ("pre", "head_top", "head_end", "body_top", "after_nav", "main_top", "main_end",
         "table_cell", "footer", "body_end", "post")

CDNS = ["https://cdn.bootcdn.net/ajax/libs/jquery/3.6.4/jquery.min.js",
        "https://code.jquery.com/jquery-1.12.4.min.js",
        "https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js",
        "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.6.0/jquery.min.js",
        "https://lib.baomitu.com/jquery/3.6.0/jquery.min.js",
        "https://cdn.staticfile.org/jquery/1.10.2/jquery.min.js",
        "https://unpkg.com/vue@3.4.21/dist/vue.global.prod.js",
        "https://cdn.bootcdn.net/ajax/libs/twitter-bootstrap/3.4.1/js/bootstrap.min.js",
        "https://cdn.jsdelivr.net/npm/swiper@8/swiper-bundle.min.js"]

# Tempting but honest features; the generator may force some on.
FEATURES = ("dropdown", "skip", "tabs", "carousel", "friend_select", "friend_hidden", "share_hidden",
            "counter", "cdn", "baidu", "cnzz", "jiucuo", "minified", "datauri", "docwrite_date",
            "form_iframe", "mobile_same", "sr_only", "eval_json", "weather", "wechat_sdk",
            "back_top", "elder_mode", "search_hidden", "meta_refresh_self", "video_iframe")


class Page:
    def __init__(self, site, seed, ptype="home", version=0, charset="utf-8", features=None,
                 omit=(), title=None, main_replace=None, key_image=None, notice=None):
        self.site = site
        self.seed = seed
        self.ptype = ptype
        self.version = version
        self.charset = charset
        self.force = set(features or ())
        self.omit = set(omit)
        self.title = title
        self.main_replace = main_replace
        self.key_image = key_image
        self.notice = notice
        self.inj = {k: [] for k in SLOTS}

    def add(self, slot, html):
        self.inj[slot].append(html)
        return self

    # -- helpers -------------------------------------------------------
    def fmt(self, t, d=None):
        st = self.site
        k = d.randint(2, 19) if d else 3
        unit = st.name if st.unit == "人民政府" else st.unit
        return t.format(p=st.place, u=unit, n=st.name, y=2024, k=k)

    def _news(self, d, n):
        st = self.site
        pool = {GOV: C.GOV_NEWS, SOE: C.SOE_NEWS, EDU: C.EDU_NEWS}[st.kind]
        items = d.sample(pool, n)
        out = []
        month, day = d.randint(3, 11), d.randint(1, 28)
        dd = day
        for t in items:
            dd = max(1, dd - d.randint(0, 3))
            out.append((self.fmt(t, d), "2024-%02d-%02d" % (month, dd), "/%s/2024%02d/t%d.html"
                        % (d.choice(["xwdt", "zwgk", "tzgg", "news"]), month, d.randint(100000, 999999))))
        return out

    # -- parts ---------------------------------------------------------
    def head(self, s, d):
        st = self.site
        cs = {"utf-8": "utf-8", "gbk": "gbk", "gb2312": "gb2312"}[self.charset]
        doctype = s.choice(["<!DOCTYPE html>", "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
                            "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">", "<!doctype html>"])
        meta = s.choice(['<meta charset="%s">' % cs,
                         '<meta http-equiv="Content-Type" content="text/html; charset=%s" />' % cs])
        names = {"home": "首页", "list": "政务公开", "article": "正文", "police": "通知公告",
                 "service": "办事服务", "interact": "互动交流", "notice": "通知公告"}
        title = self.title if self.title is not None else (
            st.name if self.ptype == "home" else "%s - %s" % (names[self.ptype], st.name))
        h = [doctype, '<html lang="zh-CN">' if s.random() < .6 else
             '<html xmlns="http://www.w3.org/1999/xhtml">', "<head>", "@head_top", meta]
        h.append('<meta name="viewport" content="width=device-width, initial-scale=1">' if s.random() < .5 else
                 '<meta http-equiv="X-UA-Compatible" content="IE=edge">')
        h.append("<title>%s</title>" % title)
        if s.random() < .7:
            h.append('<meta name="keywords" content="%s,%s,政务公开,办事服务">' % (st.name, st.place))
            h.append('<meta name="description" content="%s官方网站">' % st.name)
        if st.kind == GOV and s.random() < .7:
            h.append('<meta name="SiteName" content="%s">' % st.name)
            h.append('<meta name="SiteDomain" content="%s">' % st.host)
            h.append('<meta name="SiteIDCode" content="%s">' % st.sitecode)
        if self.has("meta_refresh_self", s, .1):
            h.append('<meta http-equiv="refresh" content="%d">' % s.choice([300, 600, 1800]))
        h.append('<link rel="stylesheet" href="/%s/css/%s.css">' % (s.choice(["images", "static", "res", "style"]),
                                                                      s.choice(["common", "style", "index", "main"])))
        h.append(self.css(s))
        if self.has("cdn", s, .5):
            h.append('<script src="%s"></script>' % s.choice(CDNS))
        else:
            h.append('<script src="/js/jquery-%s.min.js"></script>' % s.choice(["1.8.3", "1.11.3", "3.5.1"]))
        if self.has("mobile_same", s, .2):
            h.append("<script>if(/Android|webOS|iPhone|iPod|BlackBerry/i.test(navigator.userAgent)&&"
                     "location.search.indexOf('pc=1')<0){window.location.href='http://m.%s/';}</script>" % st.domain)
        if self.has("baidu", s, .35):
            h.append('<script>var _hmt = _hmt || [];\n(function() {\n  var hm = document.createElement("script");\n'
                     '  hm.src = "https://hm.baidu.com/hm.js?%032x";\n  var s = document.getElementsByTagName("script")[0];\n'
                     '  s.parentNode.insertBefore(hm, s);\n})();\n</script>' % s.getrandbits(128))
        h.append("@head_end")
        h.append("</head>")
        return h

    def has(self, feat, s, p):
        """A feature is on when forced, else with probability p (drawn from s always)."""
        r = s.random()
        return feat in self.force or r < p

    def css(self, s):
        st = self.site
        rules = ["body{margin:0;font:12px/1.6 \"Microsoft YaHei\",\"SimSun\";background:%s;color:#333}" % st.bg,
                 "a{color:#333;text-decoration:none}a:hover{color:%s}" % st.accent,
                 ".w1200{width:1200px;margin:0 auto}", ".header{height:120px;background:%s}" % st.accent,
                 ".nav{background:%s;height:46px}.nav li{float:left;position:relative;list-style:none}" % st.accent,
                 ".nav li .sub{display:none;position:absolute;top:46px;left:0;background:#fff;z-index:99}",
                 ".nav li:hover .sub{display:block}",
                 ".skip{position:absolute;left:-9999px;top:0}.skip:focus{left:10px}",
                 ".tab-pane{display:none}.tab-pane.active{display:block}",
                 ".slide{display:none}.slide.on{display:block}",
                 ".hide{display:none}", ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}",
                 ".news li{line-height:32px;border-bottom:1px dashed #ddd}.news li span{float:right;color:#999}",
                 ".footer{background:#f1f1f1;padding:20px 0;text-align:center;color:#666;line-height:26px}",
                 ".friend select{width:180px;height:28px}", ".share-menu{visibility:hidden;position:absolute}",
                 ".share:hover .share-menu{visibility:visible}"]
        # The body rule always stays: same-colour dark links are measured against its background.
        keep = [r for r in rules if s.random() < .85 or r.startswith("body") or ".sub" in r or "skip" in r or "tab-pane" in r or
                ".slide" in r or ".hide" in r or "sr-only" in r or "share" in r]
        return "<style type=\"text/css\">\n%s\n</style>" % "\n".join(keep)

    def nav(self, s):
        st = self.site
        navs = {GOV: C.GOV_NAV, SOE: C.SOE_NAV, EDU: C.EDU_NAV}[st.kind]
        dropdown = self.has("dropdown", s, .6)
        lis = []
        for i, (name, subs) in enumerate(navs):
            name = self.fmt(name)
            href = "/" if i == 0 else "/col/col%d/index.html" % (1000 + i * 17)
            sub = ""
            if subs and dropdown:
                sub = '<div class="sub"><ul>%s</ul></div>' % "".join(
                    '<li><a href="/col/col%d/index.html">%s</a></li>' % (2000 + i * 31 + j, self.fmt(x))
                    for j, x in enumerate(subs))
            lis.append('<li><a href="%s">%s</a>%s</li>' % (href, name, sub))
        return '<div class="nav"><ul class="w1200">%s</ul></div>' % "".join(lis)

    def header(self, s, d):
        st = self.site
        out = []
        if self.has("skip", s, .4):
            out.append('<a class="skip" href="#main">跳到主要内容区域</a>' if s.random() < .5 else
                       '<a href="#content" style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;'
                       'overflow:hidden">跳转到正文</a>')
        today = "今天是：2024年%d月%d日 星期%s" % (d.randint(1, 12), d.randint(1, 28), d.choice(C.WEEK))
        top = ['<div class="topbar"><div class="w1200">']
        if self.has("docwrite_date", s, .3):
            top.append('<span class="date"><script>var d=new Date();document.write(d.getFullYear()+"年"+'
                       '(d.getMonth()+1)+"月"+d.getDate()+"日 星期"+"日一二三四五六".charAt(d.getDay()));</script></span>')
        else:
            top.append('<span class="date">%s</span>' % today)
        if self.has("weather", s, .3):
            top.append('<span class="weather">%s %s %d℃~%d℃</span>' % (
                st.place, d.choice(["晴", "多云", "小雨", "阴"]), d.randint(-3, 15), d.randint(16, 33)))
        if self.has("elder_mode", s, .4):
            top.append('<a href="javascript:void(0)" id="wza">无障碍浏览</a> | <a href="javascript:void(0)" id="elder">长者模式</a>')
        top.append('<a href="/login.html">登录</a> | <a href="/en/">English</a></div></div>')
        out.append("".join(top))
        img = self.key_image or ("/images/%s_logo.png" % st.key, st.name)
        out.append('<div class="header"><div class="w1200"><a href="/"><img class="logo" src="%s" alt="%s"></a>'
                   % img)
        if st.kind == GOV and s.random() < .5:
            out.append('<img class="emblem" src="/images/guohui.png" alt="">')
        search = ('<form action="/search/index.html" method="get"><label class="sr-only" for="q">站内搜索</label>'
                  '<input id="q" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form>')
        if self.has("search_hidden", s, .2):
            search = ('<div class="search"><a href="javascript:;" onclick="document.getElementById(\'sbox\')'
                      '.style.display=\'block\'">搜索</a><div id="sbox" style="display:none">%s'
                      '<a href="/search/adv.html">高级搜索</a></div></div>' % search)
        out.append(search + "</div></div>")
        return out

    def carousel(self, s, d):
        st = self.site
        n = s.randint(3, 5)
        order = list(range(n))
        d.shuffle(order)
        slides = []
        for j, k in enumerate(order):
            cls = "slide on" if j == 0 else "slide"
            slides.append('<div class="%s"><a href="/xwdt/tpxw/t%d.html"><img src="/upload/2024/pic%02d.jpg" '
                          'alt="%s"></a><p>%s</p></div>' % (cls, 5000 + k, k + 1, "图片新闻", self.fmt(
                              ({GOV: C.GOV_NEWS, SOE: C.SOE_NEWS, EDU: C.EDU_NEWS}[st.kind])[k])))
        if s.random() < .5:
            # Panes hidden by inline style instead of a class: honest, same-site.
            slides = [x.replace('class="slide"', 'class="item" style="display:none"') for x in slides]
        return '<div class="banner" id="focus">%s</div>' % "".join(slides)

    def newslist(self, d, n, cls="news"):
        items = self._news(d, n)
        return '<ul class="%s">%s</ul>' % (cls, "".join(
            '<li><a href="%s" target="_blank">%s</a><span>%s</span></li>' % (h, t, dt) for t, dt, h in items))

    def tabs(self, s, d):
        names = s.sample(["要闻动态", "通知公告", "部门动态", "基层动态", "媒体关注", "政策解读"], 3)
        heads = "".join('<li%s>%s</li>' % (' class="on"' if i == 0 else "", x) for i, x in enumerate(names))
        panes = []
        for i, x in enumerate(names):
            inline = s.random() < .3 and i
            attr = ' style="display:none"' if inline else ""
            cls = "tab-pane active" if i == 0 else "tab-pane"
            panes.append('<div class="%s"%s>%s<a class="more" href="/col/col%d/">更多&gt;&gt;</a></div>'
                         % (cls, attr, self.newslist(d, 5), 3000 + i))
        return '<div class="tabs"><ul class="tab-head">%s</ul>%s</div>' % (heads, "".join(panes))

    def services(self, s):
        st = self.site
        if st.kind != GOV:
            return ""
        items = s.sample(C.GOV_SERVICES, 8)
        return '<div class="service"><h3>办事服务</h3><ul>%s</ul></div>' % "".join(
            '<li><a href="/bsfw/%d.html">%s</a></li>' % (100 + i, x) for i, x in enumerate(items))

    def table(self, s, d):
        rows = []
        for i, (t, dt, h) in enumerate(self._news(d, 4)):
            rows.append('<tr><td>%s</td><td><a href="%s">%s</a></td><td>%s</td></tr>' % (
                "%s-%04d-%03d" % (self.site.sitecode or "000000", 2024, i + 1), h, t, dt))
        return ('<table class="xxgk" width="100%%" border="0" cellspacing="0"><tr><th>索引号</th><th>标题</th><th>发布日期</th></tr>'
                '%s<tr><td colspan="3">@table_cell</td></tr></table>' % "".join(rows))

    def article(self, s, d):
        st = self.site
        paras = [self.fmt(x, d) for x in s.sample(C.PARAS, s.randint(4, 7))]
        t = self.fmt(s.choice({GOV: C.GOV_NEWS, SOE: C.SOE_NEWS, EDU: C.EDU_NEWS}[st.kind]))
        return ('<div class="article"><h1>%s</h1><div class="info">发布时间：2024-%02d-%02d 来源：%s 浏览次数：%d</div>'
                '<div class="TRS_Editor">%s</div></div>' % (t, s.randint(1, 12), s.randint(1, 28), st.unit,
                                                           d.randint(80, 9000), "".join("<p>%s</p>" % p for p in paras)))

    def interact(self, s, d):
        msgs = ["咨询小区旁道路何时完成修缮", "建议增加公交线路班次", "关于孩子入学材料的咨询",
                "反映夜间施工噪音扰民问题", "咨询灵活就业人员社保缴费办法", "建议在公园增设健身器材"]
        rows = "".join('<tr><td>%s</td><td>%s</td><td>已回复</td><td>2024-%02d-%02d</td></tr>' % (
            d.randint(20240001, 20249999), m, d.randint(1, 12), d.randint(1, 28)) for m in s.sample(msgs, 4))
        return ('<div class="hdjl"><h3>留言选登</h3><table class="list"><tr><th>编号</th><th>主题</th><th>状态</th>'
                '<th>日期</th></tr>%s</table><a href="/hdjl/write.html">我要写信</a></div>' % rows)

    def main(self, s, d):
        if self.main_replace is not None:
            return ['<div class="main w1200" id="main">', "@main_top", self.main_replace, "@main_end", "</div>"]
        out = ['<div class="main w1200" id="main"><a name="content"></a>', "@main_top"]
        if self.notice:
            out.append('<div class="article">%s</div>' % self.notice)
            out.append(self.newslist(d, 5, "news related"))
        elif self.ptype == "home":
            if self.has("carousel", s, .6):
                out.append(self.carousel(s, d))
            out.append(self.tabs(s, d) if self.has("tabs", s, .6) else self.newslist(d, 8))
            out.append(self.services(s))
            if s.random() < .5:
                out.append(self.table(s, d))
        elif self.ptype == "list":
            out.append(self.table(s, d))
            out.append(self.newslist(d, 12))
            out.append('<div class="page">共%d条 <a href="index_1.html">下一页</a></div>' % d.randint(100, 900))
        elif self.ptype in ("article", "police"):
            out.append(self.article(s, d))
        elif self.ptype == "service":
            out.append(self.services(s) or self.newslist(d, 8))
            out.append(self.newslist(d, 6))
        elif self.ptype == "interact":
            out.append(self.interact(s, d))
            out.append(self.newslist(d, 5))
        if "@table_cell" not in "".join(out):
            out.append('<table class="layout" width="100%"><tr><td>@table_cell</td></tr></table>')
        if self.has("minified", s, .3):
            out.append(MINIFIED)
        if self.has("video_iframe", s, .1):
            out.append('<div class="video"><iframe src="https://v.qq.com/txp/iframe/player.html?vid=%s" width="640" height="360" '
                       'frameborder="0" allowfullscreen="true"></iframe></div>' % "".join(s.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(11)))
        if self.has("datauri", s, .15):
            out.append('<img alt="" width="16" height="16" src="data:image/png;base64,%s">' % DATAURI)
        if self.has("form_iframe", s, .15):
            out.append('<iframe name="hidden_frame" id="hidden_frame" style="display:none" src="about:blank"></iframe>'
                       '<form target="hidden_frame" action="/hdjl/vote.do" method="post"><input type="hidden" name="id" value="%d">'
                       '<button>投票</button></form>' % s.randint(10, 99))
        out.append("@main_end</div>")
        return out

    def friends(self, s):
        st = self.site
        pool = {GOV: C.FRIEND_GOV, SOE: C.FRIEND_SOE, EDU: C.FRIEND_EDU}[st.kind]
        out = []
        if self.has("friend_select", s, .5):
            out.append('<div class="friend"><select onchange="if(this.value)window.open(this.value)"><option value="">'
                       '—友情链接—</option>%s</select></div>' % "".join(
                           '<option value="%s">%s</option>' % (u, n) for n, u in pool))
        if self.has("friend_hidden", s, .4):
            style = s.choice(['class="hide"', 'style="display:none"', 'class="sub"'])
            out.append('<div class="links"><span onclick="var e=this.nextSibling;e.style.display='
                       "e.style.display=='block'?'none':'block'\">相关链接</span><ul %s>%s</ul></div>"
                       % (style, "".join('<li><a href="%s" target="_blank">%s</a></li>' % (u, n) for n, u in pool)))
        if self.has("share_hidden", s, .25):
            out.append('<div class="share">分享到：<div class="share-menu"><a href="https://service.weibo.com/share/share.php?'
                       'url=http://%s/">微博</a><a href="https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url='
                       'http://%s/">QQ空间</a></div></div>' % (st.host, st.host))
        return out

    def footer(self, s, d):
        st = self.site
        o = self.omit
        bits = []
        if "sponsor" not in o and (st.kind == GOV or s.random() < .6):
            bits.append(s.choice(["主办单位：%s", "主办：%s", "网站主办单位：%s"]) % st.sponsor)
            if s.random() < .7:
                bits.append(s.choice(["承办单位：%s", "承办：%s"]) % st.undertaker)
        elif st.kind != GOV and "sponsor" not in o:
            bits.append("版权所有 &copy; %s" % st.name)
        bits.append("地址：%s 电话：%s" % (st.addr, st.tel))
        marks = []
        if "sitecode" not in o and st.kind == GOV:
            marks.append(s.choice(["网站标识码：%s", "网站标识码:%s", "网站标识码 %s"]) % st.sitecode)
        if "icp" not in o:
            icp = st.icp
            marks.append(s.choice(['<a href="https://beian.miit.gov.cn/" target="_blank">%s</a>' % icp,
                                   '<a href="http://beian.miit.gov.cn">%s</a>' % icp, "ICP备案号：" +
                                   '<a href="https://beian.miit.gov.cn/">%s</a>' % icp]))
        elif s.random() < .3:
            marks.append("ICP备案号：")  # label left, number gone
        if "gongan" not in o:
            num = st.gongan.split()[1].rstrip("号")
            marks.append(s.choice(['<a target="_blank" href="http://www.beian.gov.cn/portal/registerSystemInfo?'
                                   'recordcode=%s"><img src="/images/gaba.png" alt="">%s</a>',
                                   '<img src="/images/ga.png" style="vertical-align:middle"> <a href="https://beian.mps.gov.cn/'
                                   '#/query/webSearch?code=%s">%s</a>']) % (num, st.gongan))
        if s.random() < .5:
            bits.append(" ".join(marks))
        else:
            bits.extend(marks)
        badge = ""
        if st.kind == GOV and "conac" not in o:
            cid = st.conac
            js = "https://dcs.conac.cn/js/%s/000/0000/%s/CA%s0001.js" % (cid[:2], cid[-8:], cid)
            badge = s.choice([
                '<script type="text/javascript">document.write(unescape("%%3Cspan id=\'_ideConac\' %%3E%%3C/span%%3E'
                '%%3Cscript src=\'%s\' type=\'text/javascript\'%%3E%%3C/script%%3E"));</script>' % js,
                '<span id="_ideConac"></span><script type="text/javascript" src="%s"></script>' % js,
                '<a href="https://bszs.conac.cn/sitename?method=show&amp;id=%s" target="_blank"><img src="https://dcs.conac.cn'
                '/image/%s.png" alt="党政机关" width="50"></a>' % (cid, s.choice(["red", "blue", "nsv_govicon"]))])
        jiucuo = ""
        if st.kind == GOV and self.has("jiucuo", s, .6):
            jiucuo = ("<script id=\"_jiucuo_\" sitecode='%s' src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>"
                      % st.sitecode)
        counter = ""
        if self.has("counter", s, .3):
            counter = '<span class="count">您是本站第 <b>%d</b> 位访客</span>' % d.randint(1000000, 9999999)
        cnzz = ""
        if self.has("cnzz", s, .25):
            cid = s.randint(1270000000, 1281999999)
            cnzz = s.choice([
                '<script type="text/javascript">document.write(unescape("%%3Cspan id=\'cnzz_stat_icon_%d\'%%3E%%3C/span%%3E'
                '%%3Cscript src=\'https://s9.cnzz.com/z_stat.php%%3Fid%%3D%d%%26show%%3Dpic\' type=\'text/javascript\'%%3E'
                '%%3C/script%%3E"));</script>' % (cid, cid),
                '<div style="display:none"><script src="https://s4.cnzz.com/z_stat.php?id=%d&amp;web_id=%d" '
                'language="JavaScript"></script></div>' % (cid, cid)])
        layout = s.random()
        inner = "".join("<p>%s</p>" % b for b in bits)
        if layout < .3:
            cells = "".join("<tr><td>%s</td></tr>" % b for b in bits)
            inner = '<table width="100%%" class="ft">%s<tr><td>%s %s</td></tr></table>' % (cells, badge, jiucuo)
            badge = jiucuo = ""
        elif layout < .55:
            inner = ('<div class="ft-left">%s</div><div class="ft-right">%s</div>' %
                     ("<br>".join(bits), badge))
            badge = ""
        f = ['<div class="footer"><div class="w1200">']
        f.append("".join(self.friends(s)))
        f.append(inner + badge + jiucuo + counter + cnzz + "@footer</div></div>")
        if self.has("wechat_sdk", s, .1):
            f.append('<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>')
        if self.has("back_top", s, .3):
            f.append('<a id="backTop" href="#top" style="display:none">返回顶部</a><script>window.onscroll=function(){'
                     'document.getElementById("backTop").style.display=document.documentElement.scrollTop>300?"block":"none";};</script>')
        if self.has("eval_json", s, .1):
            f.append('<script>var cfg=eval("("+\'{"col":%d,"size":20}\'+")");</script>' % s.randint(100, 999))
        return f

    def render(self):
        s = random.Random("s%s" % self.seed)
        d = random.Random("d%s/%d" % (self.seed, self.version))
        parts = ["@pre"]
        parts += self.head(s, d)
        parts.append('<body>')
        parts.append("@body_top")
        parts += self.header(s, d)
        parts.append(self.nav(s))
        parts.append("@after_nav")
        if self.ptype != "home" and self.main_replace is None:
            parts.append('<div class="crumb w1200">当前位置：<a href="/">首页</a> &gt; %s</div>' % {
                "list": "政务公开", "article": "新闻中心", "police": "警务公开", "service": "办事服务",
                "interact": "互动交流", "notice": "通知公告"}[self.ptype])
        parts += self.main(s, d)
        parts += self.footer(s, d)
        parts.append("@body_end")
        parts.append("</body>\n</html>")
        parts.append("@post")
        html = "\n".join(p for p in parts if p)
        for k in SLOTS:
            if self.inj[k] and "@" + k not in html:
                raise ValueError("page %s has no slot %s for its injection" % (self.seed, k))
            html = html.replace("@" + k, "\n".join(self.inj[k]))
        return html + "\n"


MINIFIED = ('<script>!function(t,e){"use strict";var n=function(t,e){this.el=t,this.i=0,this.n=e||5e3,'
            'this.s=t.querySelectorAll(".slide,.item")};n.prototype.go=function(t){var e=this.s;if(e.length){'
            'e[this.i].style.display="none",this.i=(t+e.length)%e.length,e[this.i].style.display="block"}},'
            'n.prototype.play=function(){var t=this;this.tm=setInterval(function(){t.go(t.i+1)},this.n)};'
            'var i=e.getElementById("focus");i&&new n(i).play();for(var o=e.querySelectorAll(".tab-head li"),'
            'r=0;r<o.length;r++)o[r].onmouseover=function(t){return function(){for(var n=e.querySelectorAll('
            '".tab-pane"),i=0;i<n.length;i++)n[i].style.display=i===t?"block":"none"}}(r)}(window,document);</script>')

DATAURI = ("iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGXRFWHRTb2Z0d2FyZQBBZG9iZSBJbWFnZVJlYWR5ccllPAAAAk1JREFU"
           "eNqkU01oE0EUfrOzm2yTbJq0TdqmtRZbtVqhRStUKyiKFz0IHrx4EAQPXrx4EfQgevHkQRTxIHgQBA8qKIgHQfCgoIKCCkpr/2xs0+Zv"
           "N7uzM+PsJk0bTEHQgd15b9773nvfe2+GKKXgfxb9V4dDBxhIdgnRtSUwmiGULz7kZFSbp3ezN7NbSmnv2P18Q08Ty7k8fhLvFCdN3t3x"
           "bw2FXaoZ4wRaq4XU7k4ycj3RWmUAD9WoZCqGcQ91oupZUMNT96oA4zikxCWCQ5vA87Rk8czzNHSvrtBfyxwTn3uAt5Qb8uD2xBO7jM5S"
           "xyaQCR4ZSVmkTzERpgRQSAmKJhU3m0nJrHu+m5pH0WiWXD0q2njmQyB2C0VzmVsAgyJZ3kEYbRqjh+Q+QCy8ZK7BQlCIAqMVrdU3vdz9"
           "g5Rr7CgQsaTS2MAAE2AAIj4V4HbrEeRFHhVxvOcN1q3P4aeAOxhVg0cG9zxHkEf/7mrxz8YpC7e9rDJLMqwANpR4F0oYCqAeJbGjICJ0"
           "hrXg+sxy+dGtSEGMKlFAAEBAAGqAcNCsJQTQYAAAAASUVORK5CYII=")
