/*
 * sw_gen_register_data.h - the word and code tables sw_gen_register.c draws
 * from (column headers, provinces and counties of GB/T 2260, bureaus, name
 * templates, surnames ...).  Data only, included by that one file.
 */
#ifndef SW_GEN_REGISTER_DATA_H
#define SW_GEN_REGISTER_DATA_H

#include <stddef.h>

/* ---- tables ---------------------------------------------------------- */

enum col {
	C_NAME, C_URL, C_DOMAINS, C_IPS, C_HOSTING, C_UNIT, C_UNIT_TYPE, C_CREDIT,
	C_REGION, C_DEPT, C_GROUP, C_STATUS, C_LAUNCH, C_ICP, C_PSB, C_GOV_CODE,
	C_BADGE, C_MLPS_GRADE, C_MLPS_FILING, C_MLPS_DATE, C_MLPS_AGENCY,
	C_SEC_NAME, C_SEC_PHONE, C_CONTACT_NAME, C_CONTACT_PHONE, C_CONTACT_EMAIL,
	C_NOTE, C__COUNT
};

static const struct { const char *en, *zh; } cols[C__COUNT] = {
	{"name", "网站名称"}, {"url", "首页地址"}, {"domains", "其他域名"},
	{"ips", "IP地址"}, {"hosting", "托管方式"}, {"unit", "主办单位"},
	{"unit_type", "单位类型"}, {"credit_code", "统一社会信用代码"},
	{"region", "行政区划代码"}, {"department", "主管部门"}, {"group", "网站群"},
	{"status", "状态"}, {"launch_date", "开通日期"}, {"icp", "ICP备案号"},
	{"psb", "公安备案号"}, {"gov_code", "网站标识码"}, {"badge", "党政机关标识"},
	{"mlps_grade", "等保级别"}, {"mlps_filing_no", "等保备案号"},
	{"mlps_assess_date", "测评日期"}, {"mlps_agency", "测评机构"},
	{"security_name", "安全责任人"}, {"security_phone", "安全责任人电话"},
	{"contact_name", "联系人"}, {"contact_phone", "联系人电话"},
	{"contact_email", "联系人邮箱"}, {"note", "备注"},
};

struct province { const char *code, *name, *shortname, *abbr; };

static const struct province provinces[] = {
	{"11", "北京市", "北京", "京"}, {"12", "天津市", "天津", "津"},
	{"13", "河北省", "河北", "冀"}, {"14", "山西省", "山西", "晋"},
	{"15", "内蒙古自治区", "内蒙古", "蒙"}, {"21", "辽宁省", "辽宁", "辽"},
	{"22", "吉林省", "吉林", "吉"}, {"23", "黑龙江省", "黑龙江", "黑"},
	{"31", "上海市", "上海", "沪"}, {"32", "江苏省", "江苏", "苏"},
	{"33", "浙江省", "浙江", "浙"}, {"34", "安徽省", "安徽", "皖"},
	{"35", "福建省", "福建", "闽"}, {"36", "江西省", "江西", "赣"},
	{"37", "山东省", "山东", "鲁"}, {"41", "河南省", "河南", "豫"},
	{"42", "湖北省", "湖北", "鄂"}, {"43", "湖南省", "湖南", "湘"},
	{"44", "广东省", "广东", "粤"}, {"45", "广西壮族自治区", "广西", "桂"},
	{"46", "海南省", "海南", "琼"}, {"50", "重庆市", "重庆", "渝"},
	{"51", "四川省", "四川", "川"}, {"52", "贵州省", "贵州", "贵"},
	{"53", "云南省", "云南", "云"}, {"54", "西藏自治区", "西藏", "藏"},
	{"61", "陕西省", "陕西", "陕"}, {"62", "甘肃省", "甘肃", "甘"},
	{"63", "青海省", "青海", "青"}, {"64", "宁夏回族自治区", "宁夏", "宁"},
	{"65", "新疆维吾尔自治区", "新疆", "新"},
};

/* Real county-level GB/T 2260 codes; label is the ASCII stem of hosts. */
struct region { const char *code, *city, *county, *label, *area; };

static const struct region regions[] = {
	{"110101", "北京市", "东城区", "bjdc", "010"}, {"110102", "北京市", "西城区", "bjxc", "010"},
	{"110105", "北京市", "朝阳区", "bjcy", "010"}, {"110108", "北京市", "海淀区", "bjhd", "010"},
	{"110114", "北京市", "昌平区", "bjcp", "010"}, {"120101", "天津市", "和平区", "tjhp", "022"},
	{"120104", "天津市", "南开区", "tjnk", "022"}, {"130102", "石家庄市", "长安区", "sjzca", "0311"},
	{"130123", "石家庄市", "正定县", "sjzzd", "0311"}, {"140105", "太原市", "小店区", "tyxd", "0351"},
	{"140106", "太原市", "迎泽区", "tyyz", "0351"}, {"150102", "呼和浩特市", "新城区", "hhhtxc", "0471"},
	{"150105", "呼和浩特市", "赛罕区", "hhhtsh", "0471"}, {"210102", "沈阳市", "和平区", "syhp", "024"},
	{"210202", "大连市", "中山区", "dlzs", "0411"}, {"220102", "长春市", "南关区", "ccng", "0431"},
	{"220202", "吉林市", "昌邑区", "jlcy", "0432"}, {"230102", "哈尔滨市", "道里区", "hebdl", "0451"},
	{"230103", "哈尔滨市", "南岗区", "hebng", "0451"}, {"310101", "上海市", "黄浦区", "shhp", "021"},
	{"310104", "上海市", "徐汇区", "shxh", "021"}, {"310115", "上海市", "浦东新区", "shpd", "021"},
	{"320102", "南京市", "玄武区", "njxw", "025"}, {"320205", "无锡市", "锡山区", "wxxs", "0510"},
	{"320506", "苏州市", "吴中区", "szwz", "0512"}, {"330102", "杭州市", "上城区", "hzsc", "0571"},
	{"330106", "杭州市", "西湖区", "hzxh", "0571"}, {"330122", "杭州市", "桐庐县", "hztl", "0571"},
	{"330203", "宁波市", "海曙区", "nbhs", "0574"}, {"340102", "合肥市", "瑶海区", "hfyh", "0551"},
	{"340104", "合肥市", "蜀山区", "hfss", "0551"}, {"350102", "福州市", "鼓楼区", "fzgl", "0591"},
	{"350121", "福州市", "闽侯县", "fzmh", "0591"}, {"350203", "厦门市", "思明区", "xmsm", "0592"},
	{"360102", "南昌市", "东湖区", "ncdh", "0791"}, {"360121", "南昌市", "南昌县", "ncnc", "0791"},
	{"370102", "济南市", "历下区", "jnlx", "0531"}, {"370202", "青岛市", "市南区", "qdsn", "0532"},
	{"410102", "郑州市", "中原区", "zzzy", "0371"}, {"410122", "郑州市", "中牟县", "zzzm", "0371"},
	{"420102", "武汉市", "江岸区", "whja", "027"}, {"420106", "武汉市", "武昌区", "whwc", "027"},
	{"430102", "长沙市", "芙蓉区", "csfr", "0731"}, {"430121", "长沙市", "长沙县", "cscs", "0731"},
	{"440103", "广州市", "荔湾区", "gzlw", "020"}, {"440106", "广州市", "天河区", "gzth", "020"},
	{"440304", "深圳市", "福田区", "szft", "0755"}, {"440305", "深圳市", "南山区", "szns", "0755"},
	{"450102", "南宁市", "兴宁区", "nnxn", "0771"}, {"450103", "南宁市", "青秀区", "nnqx", "0771"},
	{"460105", "海口市", "秀英区", "hkxy", "0898"}, {"460106", "海口市", "龙华区", "hklh", "0898"},
	{"500103", "重庆市", "渝中区", "cqyz", "023"}, {"500106", "重庆市", "沙坪坝区", "cqspb", "023"},
	{"510104", "成都市", "锦江区", "cdjj", "028"}, {"510107", "成都市", "武侯区", "cdwh", "028"},
	{"510121", "成都市", "金堂县", "cdjt", "028"}, {"520102", "贵阳市", "南明区", "gynm", "0851"},
	{"520103", "贵阳市", "云岩区", "gyyy", "0851"}, {"530102", "昆明市", "五华区", "kmwh", "0871"},
	{"530103", "昆明市", "盘龙区", "kmpl", "0871"}, {"540102", "拉萨市", "城关区", "lscg", "0891"},
	{"610102", "西安市", "新城区", "xaxc", "029"}, {"610113", "西安市", "雁塔区", "xayt", "029"},
	{"620102", "兰州市", "城关区", "lzcg", "0931"}, {"620121", "兰州市", "永登县", "lzyd", "0931"},
	{"630102", "西宁市", "城东区", "xncd", "0971"}, {"640104", "银川市", "兴庆区", "ycxq", "0951"},
	{"640121", "银川市", "永宁县", "ycyn", "0951"}, {"650102", "乌鲁木齐市", "天山区", "wlmqts", "0991"},
	{"650103", "乌鲁木齐市", "沙依巴克区", "wlmqsy", "0991"},
};

enum utype { T_GOV, T_INST, T_SOE, T_TEL, T_OTHER, T__COUNT };

/* Weight is per cent of units; suffixes name a unit's first, second and third site. */
static const struct {
	const char *zh, *credit_prefix;
	unsigned weight;
	const char *site_suffix[3];
} utypes[T__COUNT] = {
	{"党政机关", "11", 50, {"门户网站", "政务服务网", "信息公开平台"}},
	{"事业单位", "12", 33, {"网站", "信息公开网", "英文网站"}},
	{"国有企业", "91", 8, {"官网", "招标采购网", "英文网站"}},
	{"基础电信企业", "91", 3, {"网站", "网上营业厅", "英文网站"}},
	{"其他", "51", 6, {"网站", "信息公开网", "会员服务平台"}},
};

/* Government bodies for %B; dept_city/dept_county override the template's. */
struct bureau { const char *name, *label, *dept_city, *dept_county; };

static const struct bureau bureaus[] = {
	{"人民政府", "zf", "%P人民政府", "%C人民政府"},
	{"人民政府办公室", "zfb", "%C人民政府", "%C%X人民政府"},
	{"公安局", "gaj", "%P公安厅", NULL}, {"教育局", "jyj", "%P教育厅", NULL},
	{"财政局", "czj", NULL, NULL}, {"人力资源和社会保障局", "rsj", NULL, NULL},
	{"生态环境局", "sthjj", NULL, NULL}, {"住房和城乡建设局", "zjj", NULL, NULL},
	{"交通运输局", "jtj", NULL, NULL}, {"农业农村局", "nyncj", NULL, NULL},
	{"商务局", "swj", NULL, NULL}, {"文化广电旅游局", "wglj", NULL, NULL},
	{"卫生健康委员会", "wjw", NULL, NULL}, {"应急管理局", "yjj", NULL, NULL},
	{"市场监督管理局", "scjgj", NULL, NULL}, {"统计局", "tjj", NULL, NULL},
	{"医疗保障局", "ybj", NULL, NULL}, {"民政局", "mzj", NULL, NULL},
	{"司法局", "sfj", NULL, NULL}, {"自然资源和规划局", "zrzyj", NULL, NULL},
	{"审计局", "sjj", NULL, NULL}, {"发展和改革委员会", "fgw", NULL, NULL},
	{"科学技术局", "kjj", NULL, NULL}, {"退役军人事务局", "tyjrj", NULL, NULL},
	{"水利局", "slj", NULL, NULL}, {"档案局", "daj", NULL, NULL},
};

/*
 * Unit templates.  Placeholders: %P province, %p its short name, %C city,
 * %c city without 市, %X county, %B bureau, %N number 1..nmax, %T town stem,
 * %U unit ordinal.  K_MAIN rows are tried first; K_TOWN rows give the large
 * name space that keeps big files unique; K_LAST rows contain %U and so can
 * never repeat.  label NULL means the bureau's.
 */
enum tkind { K_MAIN, K_TOWN, K_LAST, K__COUNT };

struct tmpl {
	unsigned char type, kind, nmax;
	const char *name, *dept, *label, *tld;
};

static const struct tmpl tmpls[] = {
	{T_GOV, K_MAIN, 0, "%C%B", "%C人民政府", NULL, "gov.cn"},
	{T_GOV, K_MAIN, 0, "%C%X%B", "%C%B", NULL, "gov.cn"},
	{T_GOV, K_TOWN, 0, "%C%X%T镇人民政府", "%C%X人民政府", "zf", "gov.cn"},
	{T_GOV, K_TOWN, 0, "%C%X%T街道办事处", "%C%X人民政府", "jd", "gov.cn"},
	{T_GOV, K_LAST, 0, "%C%X第%U片区管理委员会", "%C%X人民政府", "gwh", "gov.cn"},
	{T_INST, K_MAIN, 0, "%C%X人民医院", "%C%X卫生健康局", "rmyy", "org.cn"},
	{T_INST, K_MAIN, 9, "%C第%N人民医院", "%C卫生健康委员会", "rmyy", "org.cn"},
	{T_INST, K_MAIN, 0, "%C中医院", "%C卫生健康委员会", "zyy", "org.cn"},
	{T_INST, K_MAIN, 0, "%C疾病预防控制中心", "%C卫生健康委员会", "cdc", "org.cn"},
	{T_INST, K_MAIN, 40, "%C%X第%N中学", "%C%X教育局", "zx", "edu.cn"},
	{T_INST, K_MAIN, 0, "%C%X实验小学", "%C%X教育局", "syxx", "edu.cn"},
	{T_INST, K_MAIN, 0, "%C%X职业中等专业学校", "%C%X教育局", "zz", "edu.cn"},
	{T_INST, K_MAIN, 0, "%c大学", "%P教育厅", "dx", "edu.cn"},
	{T_INST, K_MAIN, 0, "%c理工大学", "%P教育厅", "lg", "edu.cn"},
	{T_INST, K_MAIN, 0, "%c师范学院", "%P教育厅", "sfxy", "edu.cn"},
	{T_INST, K_MAIN, 0, "%c职业技术学院", "%P教育厅", "zyjs", "edu.cn"},
	{T_INST, K_MAIN, 0, "%C图书馆", "%C文化广电旅游局", "lib", "org.cn"},
	{T_INST, K_MAIN, 0, "%C博物馆", "%C文化广电旅游局", "museum", "org.cn"},
	{T_INST, K_MAIN, 0, "%C档案馆", "%C档案局", "archives", "org.cn"},
	{T_INST, K_MAIN, 0, "%C%X融媒体中心", "%C%X委宣传部", "rmt", "org.cn"},
	{T_INST, K_MAIN, 0, "%C%X公共资源交易中心", "%C%X人民政府", "ggzy", "org.cn"},
	{T_INST, K_MAIN, 0, "%C住房公积金管理中心", "%C人民政府", "gjj", "org.cn"},
	{T_INST, K_TOWN, 0, "%C%X%T镇中心小学", "%C%X教育局", "xx", "edu.cn"},
	{T_INST, K_TOWN, 0, "%C%X%T镇卫生院", "%C%X卫生健康局", "wsy", "org.cn"},
	{T_INST, K_LAST, 0, "%C%X第%U社区卫生服务站", "%C%X卫生健康局", "sqws", "org.cn"},
	{T_SOE, K_MAIN, 0, "%c城市建设投资集团有限公司", "%C人民政府国有资产监督管理委员会", "ctjt", "com.cn"},
	{T_SOE, K_MAIN, 0, "%c水务集团有限公司", "%C人民政府国有资产监督管理委员会", "swjt", "com.cn"},
	{T_SOE, K_MAIN, 0, "%c交通投资集团有限公司", "%C人民政府国有资产监督管理委员会", "jtjt", "com.cn"},
	{T_SOE, K_MAIN, 0, "%c公共交通集团有限公司", "%C人民政府国有资产监督管理委员会", "gjjt", "com.cn"},
	{T_SOE, K_MAIN, 0, "%c燃气集团有限公司", "%C人民政府国有资产监督管理委员会", "rqjt", "com.cn"},
	{T_SOE, K_MAIN, 0, "%c地铁集团有限公司", "%C人民政府国有资产监督管理委员会", "metro", "com.cn"},
	{T_SOE, K_MAIN, 0, "%p能源集团有限公司", "%P人民政府国有资产监督管理委员会", "nyjt", "com.cn"},
	{T_SOE, K_MAIN, 0, "%p高速公路集团有限公司", "%P人民政府国有资产监督管理委员会", "gsjt", "com.cn"},
	{T_SOE, K_MAIN, 0, "%C%X国有资产经营有限公司", "%C%X财政局", "gzjy", "com.cn"},
	{T_SOE, K_MAIN, 0, "%C%X城市发展集团有限公司", "%C%X人民政府", "csfz", "com.cn"},
	{T_SOE, K_TOWN, 0, "%C%X%T资产经营有限公司", "%C%X财政局", "zcjy", "com.cn"},
	{T_SOE, K_TOWN, 0, "%C%X%T建设发展有限公司", "%C%X人民政府", "jsfz", "com.cn"},
	{T_SOE, K_LAST, 0, "%c第%U市政工程有限公司", "%C人民政府国有资产监督管理委员会", "szgc", "com.cn"},
	{T_TEL, K_MAIN, 0, "中国电信股份有限公司%c分公司", "%P通信管理局", "ct", "com.cn"},
	{T_TEL, K_MAIN, 0, "中国电信股份有限公司%c%X分公司", "%P通信管理局", "ct", "com.cn"},
	{T_TEL, K_MAIN, 0, "中国联合网络通信有限公司%c分公司", "%P通信管理局", "cu", "com.cn"},
	{T_TEL, K_MAIN, 0, "中国联合网络通信有限公司%c%X分公司", "%P通信管理局", "cu", "com.cn"},
	{T_TEL, K_MAIN, 0, "中国移动通信集团%p有限公司%c分公司", "%P通信管理局", "cmcc", "com.cn"},
	{T_TEL, K_MAIN, 0, "中国移动通信集团%p有限公司%c%X分公司", "%P通信管理局", "cmcc", "com.cn"},
	{T_TEL, K_TOWN, 0, "中国电信股份有限公司%c%X%T支局", "%P通信管理局", "ct", "com.cn"},
	{T_TEL, K_TOWN, 0, "中国联合网络通信有限公司%c%X%T营业部", "%P通信管理局", "cu", "com.cn"},
	{T_TEL, K_LAST, 0, "中国电信股份有限公司%c第%U营业部", "%P通信管理局", "ct", "com.cn"},
	{T_OTHER, K_MAIN, 0, "%C律师协会", "%C司法局", "lawyer", "org.cn"},
	{T_OTHER, K_MAIN, 0, "%C慈善总会", "%C民政局", "cszh", "org.cn"},
	{T_OTHER, K_MAIN, 0, "%C红十字会", "%C人民政府", "redcross", "org.cn"},
	{T_OTHER, K_MAIN, 0, "%C科学技术协会", "%C人民政府", "kx", "org.cn"},
	{T_OTHER, K_MAIN, 0, "%C工商业联合会", "%C委统战部", "gsl", "org.cn"},
	{T_OTHER, K_MAIN, 0, "%C%X个体劳动者协会", "%C%X市场监督管理局", "gx", "org.cn"},
	{T_OTHER, K_MAIN, 0, "%C计算机学会", "%C科学技术协会", "ccf", "org.cn"},
	{T_OTHER, K_MAIN, 0, "%C网络安全协会", "%C委网信办", "wa", "org.cn"},
	{T_OTHER, K_TOWN, 0, "%C%X%T商会", "%C%X工商业联合会", "sh", "org.cn"},
	{T_OTHER, K_TOWN, 0, "%C%X%T老年人协会", "%C%X民政局", "lnxh", "org.cn"},
	{T_OTHER, K_LAST, 0, "%C第%U社区社会组织联合会", "%C民政局", "shzz", "org.cn"},
};

static const char *const town_first[] = {
	"东", "西", "南", "北", "新", "长", "安", "和", "平", "兴", "华", "永", "丰", "金", "石",
	"青", "龙", "凤", "云", "白", "大", "小", "清", "黄", "红", "福", "宝", "仁", "义", "高",
};
static const char *const town_second[] = {
	"桥", "湖", "山", "河", "港", "塘", "岭", "坪", "庄", "湾", "溪", "林", "田", "阳", "城",
	"关", "浦", "泉", "峰", "沙", "口", "洲", "店", "集", "堡", "坝", "源", "岗", "寺", "营",
};

struct syllable { const char *zh, *py; };

static const struct syllable surnames[] = {
	{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"},
	{"杨", "yang"}, {"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"},
	{"徐", "xu"}, {"孙", "sun"}, {"马", "ma"}, {"朱", "zhu"}, {"胡", "hu"},
	{"郭", "guo"}, {"何", "he"}, {"高", "gao"}, {"林", "lin"}, {"罗", "luo"},
	{"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"}, {"唐", "tang"},
	{"许", "xu"}, {"韩", "han"}, {"冯", "feng"}, {"邓", "deng"}, {"曹", "cao"},
	{"彭", "peng"}, {"曾", "zeng"}, {"肖", "xiao"}, {"田", "tian"}, {"董", "dong"},
	{"袁", "yuan"}, {"潘", "pan"}, {"于", "yu"}, {"蒋", "jiang"}, {"蔡", "cai"},
	{"余", "yu"}, {"杜", "du"}, {"叶", "ye"}, {"程", "cheng"}, {"苏", "su"},
	{"魏", "wei"}, {"吕", "lv"}, {"丁", "ding"}, {"任", "ren"}, {"沈", "shen"},
};

static const struct syllable given[] = {
	{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"},
	{"丽", "li"}, {"强", "qiang"}, {"磊", "lei"}, {"军", "jun"}, {"洋", "yang"},
	{"勇", "yong"}, {"艳", "yan"}, {"杰", "jie"}, {"娟", "juan"}, {"涛", "tao"},
	{"明", "ming"}, {"超", "chao"}, {"秀", "xiu"}, {"霞", "xia"}, {"平", "ping"},
	{"刚", "gang"}, {"英", "ying"}, {"华", "hua"}, {"玉", "yu"}, {"兰", "lan"},
	{"文", "wen"}, {"辉", "hui"}, {"建", "jian"}, {"国", "guo"}, {"红", "hong"},
	{"海", "hai"}, {"鹏", "peng"}, {"宇", "yu"}, {"浩", "hao"}, {"志", "zhi"},
	{"斌", "bin"}, {"婷", "ting"}, {"雪", "xue"}, {"琳", "lin"}, {"晨", "chen"},
	{"欣", "xin"}, {"博", "bo"}, {"晓", "xiao"}, {"俊", "jun"}, {"峰", "feng"},
	{"颖", "ying"}, {"倩", "qian"}, {"鑫", "xin"}, {"凯", "kai"}, {"梅", "mei"},
};

static const char *const agencies[] = {
	"%P信息安全测评中心", "%P网络安全等级保护测评中心", "%C信息安全测评中心",
	"公安部第三研究所", "国家信息技术安全研究中心", "中国软件评测中心",
};

/* Mostly empty; the others exercise CSV quoting (comma, quote, newline). */
static const char *const notes[] = {
	"已纳入网站群统一管理", "2023年完成改版", "主办单位已更名，原名称见备案",
	"联系人已调岗, 待更新", "由\"网站群平台\"统一运维", "原域名已停用\n新域名待备案",
	"负责人: 值班室, 电话见附件", "等保测评报告\"待复核\"",
};

static const char *const hostings[] = {"自建", "IDC托管", "云服务", "网站群平台"};
static const unsigned char ip_first[] = {59, 61, 114, 115, 116, 119, 120, 121, 122, 123,
					 124, 125, 202, 210, 211, 218, 219, 220, 221, 222};
static const char *const domain_prefix[] = {"", "m.", "en.", "wap."};
static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

#endif
