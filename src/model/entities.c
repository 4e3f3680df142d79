/*
 * entities.c - the field tables of the register (see entity.h).
 *
 * Chinese labels are what registers in the field use as column headers;
 * aliases collect the other spellings seen in provincial spreadsheets so an
 * import does not fail on a synonym.
 */
#include "model/entity.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/validate.h"

/* Adapters from validators with extra outputs to the sw_validator shape. */
static enum sw_err v_region(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	return sw_valid_region_code(in, out, outsz, NULL, eb);
}

static enum sw_err v_url(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char host[SW_DOMAIN_MAX + 1];

	return sw_valid_url(in, out, outsz, host, sizeof host, NULL, eb);
}

#define NOENUM NULL, 0, 0, SW_ENT__COUNT

static const struct sw_enum_val unit_types[] = {
	{"party_gov", "党政机关", "党政|机关|党政机关单位|government"},
	{"institution", "事业单位", "事业|public_institution"},
	{"soe", "国有企业", "国企|国有|state_owned"},
	{"telecom", "基础电信企业", "基础电信|电信企业"},
	{"other", "其他", "其它"},
	{NULL, NULL, NULL},
};

static const struct sw_enum_val site_status[] = {
	{"planned", "规划中", "规划|筹建|筹建中"},
	{"pre-launch", "待上线", "pre_launch|prelaunch|试运行|未上线|上线前"},
	{"online", "运行", "运行中|正常|正常运行|已上线|在线|上线"},
	{"suspended", "暂停", "暂停运行|停用|暂停服务"},
	{"closed", "关停", "关闭|已关闭|已关停|注销|已注销"},
	{NULL, NULL, NULL},
};

static const struct sw_enum_val hosting_kinds[] = {
	{"self", "自建", "自建机房|本单位|self-hosted"},
	{"idc", "IDC托管", "托管|机房托管"},
	{"cloud", "云服务", "云|云平台|云主机|政务云"},
	{"group", "网站群平台", "网站群|集约化平台|group-platform"},
	{NULL, NULL, NULL},
};

static const struct sw_enum_val review_states[] = {
	{"pending", "待审核", "未审核|审核中"},
	{"approved", "通过", "审核通过|已通过|合格"},
	{"rejected", "不通过", "未通过|驳回|不合格"},
	{NULL, NULL, NULL},
};

static const struct sw_enum_val dept_kinds[] = {
	{"competent", "主管部门", "主管|行业主管部门|监管部门"},
	{"cyberspace", "网信部门", "网信|网信办"},
	{"public-security", "公安机关", "公安|公安局|公安厅|网安|public_security"},
	{"staffing", "机构编制部门", "编办|机构编制"},
	{"telecom", "通信管理局", "通管局|通信管理|telecom-authority"},
	{"other", "其他", "其它"},
	{NULL, NULL, NULL},
};

const struct sw_enum_val sw_person_roles[] = {
	{"chief", "主管责任人", "主管负责人|主要负责人"},
	{"operator", "运营责任人", "运维责任人|运营负责人"},
	{"security", "安全责任人", "安全负责人|网络安全责任人"},
	{"contact", "联系人", "网站联系人"},
	{NULL, NULL, NULL},
};

static const struct sw_field region_fields[] = {
	{"code", "code", "行政区划代码", "区划代码|region_code|代码", SW_FT_TEXT,
	 SW_F_REQUIRED | SW_F_KEY | SW_F_NOEDIT, v_region, NOENUM, NULL,
	 "six-digit GB/T 2260 code"},
	{"name", "name", "名称", "区划名称|行政区划名称|region_name", SW_FT_TEXT,
	 SW_F_REQUIRED | SW_F_KEY, NULL, NOENUM, NULL, "name, e.g. 朝阳区"},
	{"parent", "parent_code", "上级区划代码", "上级|parent_code", SW_FT_TEXT, 0, v_region,
	 NOENUM, NULL, "parent code (default: derived from the code)"},
	{"level", "level", "级别", NULL, SW_FT_INT, SW_F_DERIVED, NULL, NULL, 1, 3,
	 SW_ENT__COUNT, NULL, "1 province, 2 city, 3 county"},
};

static const struct sw_field dept_fields[] = {
	{"name", "name", "部门名称", "名称|department|主管部门", SW_FT_TEXT,
	 SW_F_REQUIRED | SW_F_KEY, NULL, NOENUM, NULL, "department name"},
	{"kind", "kind", "部门类型", "类型|type", SW_FT_ENUM, 0, NULL, dept_kinds, 0, 0,
	 SW_ENT__COUNT, "competent", "competent, cyberspace, public-security, staffing, telecom, other"},
	{"region", "region", "行政区划代码", "区划代码|行政区划|region_code", SW_FT_TEXT,
	 SW_F_REQUIRED, v_region, NOENUM, NULL, "region code"},
	{"parent", "parent_id", "上级部门", "parent_id", SW_FT_REF, 0, NULL, NULL, 0, 0,
	 SW_ENT_DEPT, NULL, "parent department (id or name)"},
	{"phone", "phone", "电话", "联系电话", SW_FT_TEXT, 0, sw_valid_phone, NOENUM, NULL,
	 "duty phone"},
	{"note", "note", "备注", NULL, SW_FT_TEXT, 0, NULL, NOENUM, NULL, "free text"},
};

static const struct sw_field unit_fields[] = {
	{"name", "name", "单位名称", "主办单位|开办单位|名称|unit", SW_FT_TEXT,
	 SW_F_REQUIRED | SW_F_KEY, NULL, NOENUM, NULL, "unit name"},
	{"type", "type", "单位类型", "单位性质|unit_type", SW_FT_ENUM, SW_F_REQUIRED, NULL,
	 unit_types, 0, 0, SW_ENT__COUNT, NULL,
	 "party_gov (党政机关), institution (事业单位), soe (国有企业), telecom, other"},
	{"credit_code", "credit_code", "统一社会信用代码", "信用代码|社会信用代码", SW_FT_TEXT,
	 SW_F_KEY, sw_valid_credit_code, NOENUM, NULL, "18-character unified social credit code"},
	{"region", "region", "行政区划代码", "区划代码|行政区划|region_code", SW_FT_TEXT,
	 SW_F_REQUIRED, v_region, NOENUM, NULL, "region code"},
	{"department", "dept_id", "主管部门", "监管部门|主管单位|dept", SW_FT_REF, 0, NULL, NULL, 0,
	 0, SW_ENT_DEPT, NULL, "supervising department (id or name)"},
	{"address", "address", "地址", "单位地址", SW_FT_TEXT, 0, NULL, NOENUM, NULL, "address"},
	{"note", "note", "备注", NULL, SW_FT_TEXT, 0, NULL, NOENUM, NULL, "free text"},
};

static const struct sw_field group_fields[] = {
	{"name", "name", "网站群名称", "名称|网站群|group", SW_FT_TEXT, SW_F_REQUIRED | SW_F_KEY,
	 NULL, NOENUM, NULL, "group name"},
	{"department", "dept_id", "主管部门", "dept", SW_FT_REF, 0, NULL, NULL, 0, 0, SW_ENT_DEPT,
	 NULL, "department that runs the group"},
	{"platform", "platform", "群平台", "平台", SW_FT_TEXT, 0, NULL, NOENUM, NULL,
	 "the platform hosting the group, if consolidated"},
	{"note", "note", "备注", NULL, SW_FT_TEXT, 0, NULL, NOENUM, NULL, "free text"},
};

static const struct sw_field site_fields[] = {
	{"name", "name", "网站名称", "网站名|名称|site_name", SW_FT_TEXT, SW_F_REQUIRED | SW_F_KEY,
	 NULL, NOENUM, NULL, "site name"},
	{"url", "url", "首页地址", "网址|首页网址|网站地址|网站首页|homepage", SW_FT_TEXT,
	 SW_F_REQUIRED | SW_F_KEY, v_url, NOENUM, NULL, "home page URL"},
	{"domains", "domains", "其他域名", "域名|备用域名", SW_FT_LIST, 0, sw_valid_domain, NOENUM,
	 NULL, "other domains, ';'-separated"},
	{"ips", "ips", "IP地址", "IP|服务器IP|服务器地址", SW_FT_LIST, 0, sw_valid_ip, NOENUM, NULL,
	 "server addresses, ';'-separated"},
	{"hosting", "hosting", "托管方式", "部署方式|接入方式", SW_FT_ENUM, 0, NULL, hosting_kinds, 0,
	 0, SW_ENT__COUNT, NULL, "self, idc, cloud, group"},
	{"unit", "unit_id", "主办单位", "开办单位|主办单位名称|unit_name", SW_FT_REF, SW_F_REQUIRED,
	 NULL, NULL, 0, 0, SW_ENT_UNIT, NULL, "sponsor unit (id, credit code or name)"},
	{"group", "group_id", "网站群", "所属网站群|group_name", SW_FT_REF, 0, NULL, NULL, 0, 0,
	 SW_ENT_GROUP, NULL, "website group (id or name)"},
	{"status", "status", "状态", "运行状态|网站状态", SW_FT_ENUM, 0, NULL, site_status, 0, 0,
	 SW_ENT__COUNT, "online", "planned, pre-launch, online, suspended, closed"},
	{"launch_date", "launch_date", "开通日期", "上线日期|开办日期", SW_FT_DATE, 0, NULL, NOENUM,
	 NULL, "launch date"},
	{"icp", "icp", "ICP备案号", "ICP备案|备案号|ICP", SW_FT_TEXT, 0, sw_valid_icp, NOENUM, NULL,
	 "ICP filing number, e.g. 京ICP备12345678号-1"},
	{"psb", "psb", "公安备案号", "公网安备案号|公网安备|公安机关备案号", SW_FT_TEXT, 0,
	 sw_valid_psb, NOENUM, NULL, "public-security filing number"},
	{"gov_code", "gov_code", "网站标识码", "标识码", SW_FT_TEXT, 0, sw_valid_gov_code, NOENUM,
	 NULL, "government website identifier code"},
	{"badge", "badge", "党政机关标识", "标识|党政机关网站标识|挂标", SW_FT_BOOL, 0, NULL, NOENUM,
	 NULL, "shows the identification badge (yes/no)"},
	{"review_state", "review_state", "审核状态", "开办审核|资格复核", SW_FT_ENUM, 0, NULL,
	 review_states, 0, 0, SW_ENT__COUNT, "pending", "pending, approved, rejected"},
	{"review_date", "review_date", "审核日期", "复核日期", SW_FT_DATE, 0, NULL, NOENUM, NULL,
	 "date of the last review"},
	{"reviewer", "reviewer", "审核人", "复核人", SW_FT_TEXT, 0, NULL, NOENUM, NULL, "reviewer"},
	{"review_note", "review_note", "审核意见", "复核意见", SW_FT_TEXT, 0, NULL, NOENUM, NULL,
	 "review note"},
	{"mlps_grade", "mlps_grade", "等保级别", "等级保护级别|安全保护等级|等保等级", SW_FT_INT, 0,
	 NULL, NULL, 1, 5, SW_ENT__COUNT, NULL, "MLPS grade 1-5"},
	{"mlps_grading_date", "mlps_grading_date", "定级日期", NULL, SW_FT_DATE, 0, NULL, NOENUM,
	 NULL, "MLPS grading date"},
	{"mlps_filing_no", "mlps_filing_no", "等保备案号", "等保备案编号|定级备案号", SW_FT_TEXT, 0,
	 NULL, NOENUM, NULL, "MLPS filing number at the PSB"},
	{"mlps_filing_date", "mlps_filing_date", "等保备案日期", "备案日期", SW_FT_DATE, 0, NULL,
	 NOENUM, NULL, "MLPS filing date"},
	{"mlps_assess_date", "mlps_assess_date", "测评日期", "等保测评日期|最近测评日期", SW_FT_DATE,
	 0, NULL, NOENUM, NULL, "last assessment date"},
	{"mlps_agency", "mlps_agency", "测评机构", "等保测评机构", SW_FT_TEXT, 0, NULL, NOENUM, NULL,
	 "assessment agency"},
	{"mlps_result", "mlps_result", "测评结论", "测评结果|等保测评结论", SW_FT_TEXT, 0, NULL,
	 NOENUM, NULL, "assessment result or score"},
	{"mlps_next_due", "mlps_next_due", "下次测评日期", "下次测评", SW_FT_DATE, 0, NULL, NOENUM,
	 NULL, "next assessment due (default: from grade and last assessment)"},
	{"note", "note", "备注", NULL, SW_FT_TEXT, 0, NULL, NOENUM, NULL, "free text"},
};

static const struct sw_field person_fields[] = {
	{"name", "name", "姓名", "名字|person", SW_FT_TEXT, SW_F_REQUIRED | SW_F_KEY, NULL, NOENUM,
	 NULL, "person's name"},
	{"role", "role", "角色", "职责|责任类型", SW_FT_ENUM, SW_F_REQUIRED, NULL, sw_person_roles,
	 0, 0, SW_ENT__COUNT, NULL, "chief, operator, security, contact"},
	{"phone", "phone", "电话", "手机|联系电话|手机号", SW_FT_TEXT, 0, sw_valid_phone, NOENUM,
	 NULL, "phone"},
	{"email", "email", "邮箱", "电子邮箱|电子邮件|e-mail", SW_FT_TEXT, 0, sw_valid_email, NOENUM,
	 NULL, "e-mail"},
	{"title", "title", "职务", "职位", SW_FT_TEXT, 0, NULL, NOENUM, NULL, "job title"},
	{"unit", "unit_id", "所属单位", "单位|主办单位", SW_FT_REF, 0, NULL, NULL, 0, 0,
	 SW_ENT_UNIT, NULL, "unit (id, credit code or name)"},
	{"note", "note", "备注", NULL, SW_FT_TEXT, 0, NULL, NOENUM, NULL, "free text"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct sw_entity entities[SW_ENT__COUNT] = {
	[SW_ENT_REGION] = {SW_ENT_REGION, "region", "regions", "行政区划", region_fields,
			   N(region_fields), 1},
	[SW_ENT_DEPT] = {SW_ENT_DEPT, "dept", "departments", "主管部门", dept_fields,
			 N(dept_fields), 0},
	[SW_ENT_UNIT] = {SW_ENT_UNIT, "unit", "units", "主办单位", unit_fields, N(unit_fields), 0},
	[SW_ENT_GROUP] = {SW_ENT_GROUP, "group", "site_groups", "网站群", group_fields,
			  N(group_fields), 0},
	[SW_ENT_SITE] = {SW_ENT_SITE, "site", "sites", "网站", site_fields, N(site_fields), 0},
	[SW_ENT_PERSON] = {SW_ENT_PERSON, "person", "persons", "责任人", person_fields,
			   N(person_fields), 0},
};

_Static_assert(N(site_fields) <= SW_REC_MAX_FIELDS, "site has too many fields for sw_rec");

const struct sw_entity *sw_entity_get(enum sw_ent e)
{
	return (unsigned)e < SW_ENT__COUNT ? &entities[e] : NULL;
}

const struct sw_entity *sw_entity_by_name(const char *name)
{
	for (size_t i = 0; name && i < SW_ENT__COUNT; i++)
		if (strcmp(entities[i].name, name) == 0)
			return &entities[i];
	return NULL;
}

/* True when `name` equals one of the '|'-separated words of `list`,
 * ASCII case-insensitively (Chinese compares byte for byte). */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (list && *list) {
		const char *bar = strchr(list, '|');
		size_t len = bar ? (size_t)(bar - list) : strlen(list);

		if (len == n && strncasecmp(list, name, n) == 0)
			return 1;
		list = bar ? bar + 1 : NULL;
	}
	return 0;
}

int sw_entity_field(const struct sw_entity *ent, const char *name)
{
	/* Keys and labels first, so an alias of one field can never shadow the
	 * proper name of another. */
	for (size_t i = 0; i < ent->nfields; i++)
		if (strcasecmp(ent->fields[i].key, name) == 0 || strcasecmp(ent->fields[i].zh, name) == 0)
			return (int)i;
	for (size_t i = 0; i < ent->nfields; i++)
		if (in_list(ent->fields[i].aliases, name))
			return (int)i;
	return -1;
}

int sw_entity_field_key(const struct sw_entity *ent, const char *key)
{
	for (size_t i = 0; i < ent->nfields; i++)
		if (strcmp(ent->fields[i].key, key) == 0)
			return (int)i;
	return -1;
}

int sw_field_index(enum sw_ent e, const char *key)
{
	/* Callers pass string literals, whose addresses are stable: remember
	 * the answer by address so the hot paths of an import (dozens of calls
	 * a row) skip the string comparisons.  Thread-local: no locking, and
	 * the worst a collision does is one more scan. */
	static _Thread_local struct {
		const char *key;
		int ent, idx;
	} memo[128];
	size_t h = ((uintptr_t)key >> 3) % 128;
	int i;

	if (memo[h].key == key && memo[h].ent == (int)e)
		return memo[h].idx;
	if ((i = sw_entity_field_key(sw_entity_get(e), key)) < 0)
		sw_fatal("entity %s has no field %s", sw_entity_get(e)->name, key);
	memo[h].key = key;
	memo[h].ent = (int)e;
	memo[h].idx = i;
	return i;
}

const struct sw_enum_val *sw_enum_find(const struct sw_enum_val *vals, const char *in)
{
	for (const struct sw_enum_val *v = vals; v && v->key; v++)
		if (strcasecmp(v->key, in) == 0 || strcasecmp(v->zh, in) == 0 || in_list(v->aliases, in))
			return v;
	return NULL;
}

const char *sw_enum_zh(const struct sw_enum_val *vals, const char *key)
{
	for (const struct sw_enum_val *v = vals; v && v->key; v++)
		if (strcmp(v->key, key) == 0)
			return v->zh;
	return key;
}
