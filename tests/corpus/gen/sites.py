"""Fictional sites the corpus pages belong to: government portals and
departments, state-owned enterprises and universities.

Every name, host and number here is invented.  Hosts contain "example" so
that nobody mistakes them for real sites; the filing numbers have the real
formats (京ICP备05070218号-1, 京公网安备 11010502030143号, 网站标识码 10
digits) so that the compliance checks see what they see in the field.
"""

GOV, SOE, EDU = "gov", "soe", "edu"

# (province abbreviation, 2-digit province code)
PROVINCES = [("京", "11"), ("浙", "33"), ("苏", "32"), ("粤", "44"), ("川", "51"),
             ("鲁", "37"), ("豫", "41"), ("湘", "43"), ("闽", "35"), ("皖", "34"),
             ("冀", "13"), ("陕", "61"), ("赣", "36"), ("桂", "45"), ("黑", "23")]

# Invented place names (pinyin, Chinese, suffix).
PLACES = [("yunxi", "云溪", "市"), ("qinglan", "青岚", "县"), ("anlan", "安澜", "区"),
          ("luzhou", "鹭洲", "市"), ("wangchuan", "望川", "县"), ("dongli", "东篱", "区"),
          ("jinwan", "金湾", "新区"), ("cuiping", "翠屏", "镇"), ("luming", "鹿鸣", "市"),
          ("songtao", "松涛", "县"), ("heyang", "禾阳", "市"), ("baishi", "白石", "区"),
          ("lingfeng", "岭枫", "县"), ("chengnan", "澄南", "市")]

GOV_UNITS = [("", "人民政府", "人民政府办公室"), ("jyj", "教育局", "教育局"),
             ("gaj", "公安局", "公安局"), ("jtj", "交通运输局", "交通运输局"),
             ("wjw", "卫生健康委员会", "卫生健康委员会"), ("scjg", "市场监督管理局", "市场监督管理局"),
             ("sthj", "生态环境局", "生态环境局"), ("rsj", "人力资源和社会保障局", "人力资源和社会保障局"),
             ("zjj", "住房和城乡建设局", "住房和城乡建设局"), ("czj", "财政局", "财政局")]

SOES = [("yxny", "云溪能源集团有限公司", "能源"), ("qljt", "青岚交通建设集团有限公司", "交通"),
        ("whgw", "望海港务集团有限公司", "港口"), ("dlsw", "东篱水务集团有限公司", "水务"),
        ("jwdl", "金湾电力有限公司", "电力"), ("lmtz", "鹿鸣城市投资发展集团有限公司", "投资"),
        ("htgt", "禾阳钢铁集团有限公司", "钢铁")]

UNIS = [("yxu", "云溪大学"), ("qlnu", "青岚师范学院"), ("whut", "望海理工大学"),
        ("lzmu", "鹭洲医科大学"), ("dlvc", "东篱职业技术学院"), ("smfu", "松涛农林大学"),
        ("bsac", "白石艺术学院")]


class Site:
    def __init__(self, **kw):
        self.__dict__.update(kw)

    @property
    def url(self):
        return "http://%s/" % self.host


def _icp(prov, n, suffix):
    s = "%sICP备%08d号" % (prov, n)
    return s + ("-%d" % suffix if suffix else "")


def _gongan(prov, code, n):
    return "%s公网安备 %s%08d号" % (prov, code, n)


def build_sites():
    """Returns the list of sites, deterministic."""
    sites = []
    i = 0
    for pi, (py, cn, suf) in enumerate(PLACES):
        prov, pcode = PROVINCES[pi % len(PROVINCES)]
        for ui, (abbr, unit, sponsor) in enumerate(GOV_UNITS):
            if (pi + ui) % 3 and ui:  # not every place has every department
                continue
            i += 1
            dom = "example-%s%s.gov.cn" % (py, ("-" + abbr) if abbr else "")
            host = "www." + dom
            area = "%s%02d%02d" % (pcode, pi + 1, ui)
            sites.append(Site(
                kind=GOV, key="g%02d" % i, host=host, domain=dom,
                name=cn + suf + unit, place=cn + suf, unit=unit,
                sponsor=cn + suf + sponsor,
                undertaker=cn + suf + ("大数据发展管理局" if ui == 0 else unit + "办公室"),
                icp=_icp(prov, 5070218 + 1373 * i, (i % 3)),
                gongan=_gongan(prov, area[:6], 2030143 + 977 * i),
                sitecode="%s%04d" % (area, 1 + (i * 37) % 9000),
                conac="%s0000%08d" % (pcode, 60429971 + i * 131),
                prov=prov, police=(abbr == "gaj"),
                tel="0%d%d-%08d" % (5 + pi % 4, 71 + ui, 87012345 + i * 11),
                addr="%s%s政务中心%d号楼" % (cn, suf, 1 + ui),
                bg=["#ffffff", "#f4f6f9", "#fdfaf3", "#eef3f8"][i % 4],
                accent=["#c40000", "#1659a8", "#0a5aa5", "#b8141c", "#0e6e4f"][i % 5]))
    for si, (abbr, name, biz) in enumerate(SOES):
        prov, pcode = PROVINCES[(si * 5 + 2) % len(PROVINCES)]
        dom = "example-%s.com.cn" % abbr
        sites.append(Site(
            kind=SOE, key="s%02d" % (si + 1), host="www." + dom, domain=dom, name=name,
            place=name[:2], unit=name, sponsor=name, undertaker=name + "信息中心", biz=biz,
            icp=_icp(prov, 11020345 + 4111 * si, si % 2), gongan=_gongan(prov, pcode + "0105", 3011245 + 311 * si),
            sitecode=None, conac=None, prov=prov, police=False,
            tel="400-%03d-%04d" % (600 + si, 8800 + si), addr=name[:2] + "市滨江大道%d号" % (88 + si),
            bg=["#ffffff", "#f7f7f7", "#f2f5fa"][si % 3],
            accent=["#005bac", "#c8161d", "#00875a", "#e60012"][si % 4]))
    for ui, (abbr, name) in enumerate(UNIS):
        prov, pcode = PROVINCES[(ui * 3 + 1) % len(PROVINCES)]
        dom = "example-%s.edu.cn" % abbr
        sites.append(Site(
            kind=EDU, key="u%02d" % (ui + 1), host="www." + dom, domain=dom, name=name,
            place=name[:2], unit=name, sponsor=name, undertaker=name + "党委宣传部",
            icp=_icp(prov, 5012678 + 2719 * ui, 1 + ui % 2), gongan=_gongan(prov, pcode + "0106", 2000531 + 173 * ui),
            sitecode=None, conac=None, prov=prov, police=False,
            tel="0%d-%08d" % (20 + ui, 66112233 + ui), addr=name[:2] + "市大学路%d号" % (1 + ui * 7),
            bg=["#ffffff", "#f8f8f8", "#fbfbf6"][ui % 3],
            accent=["#8a1f11", "#0b3c78", "#1a5e2c", "#6b2c91"][ui % 4]))
    return sites
