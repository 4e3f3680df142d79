/*
 * test_entities.c - unit tests for the field tables of src/model/entities.c
 * and the record helpers of src/model/record.c.
 *
 * The tables drive CSV headers, CLI options and SQL columns, so the tests
 * walk every entity and every field: each key, Chinese label and alias must
 * lead back to its own field (an alias equal to another field's name would
 * send a whole column of an import into the wrong field), and every enum
 * spelling back to its own value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/entity.h"

/* Calls fn(ent, field index, word) for each '|'-separated word of list. */
static void each_word(const char *list, void (*fn)(const struct sw_entity *, size_t, const char *),
		      const struct sw_entity *ent, size_t i)
{
	char buf[512], *save = NULL;

	if (!list)
		return;
	snprintf(buf, sizeof buf, "%s", list);
	for (char *w = strtok_r(buf, "|", &save); w; w = strtok_r(NULL, "|", &save))
		fn(ent, i, w);
}

static void test_entity_get(void **state)
{
	(void)state;
	for (int e = 0; e < SW_ENT__COUNT; e++) {
		const struct sw_entity *ent = sw_entity_get((enum sw_ent)e);

		assert_non_null(ent);
		assert_int_equal(ent->id, e);
		assert_true(ent->nfields > 0 && ent->nfields <= SW_REC_MAX_FIELDS);
		assert_true(ent->label_field >= 0 && (size_t)ent->label_field < ent->nfields);
		assert_ptr_equal(sw_entity_by_name(ent->name), ent);
	}
	assert_null(sw_entity_get(SW_ENT__COUNT));
	assert_null(sw_entity_get((enum sw_ent)-1));
	assert_null(sw_entity_by_name(NULL));
	assert_null(sw_entity_by_name(""));
	assert_null(sw_entity_by_name("sites"));
	assert_null(sw_entity_by_name("Site"));
	assert_int_equal(sw_entity_by_name("site")->id, SW_ENT_SITE);
	assert_int_equal(sw_entity_by_name("person")->id, SW_ENT_PERSON);
}

static void test_field_lookup(void **state)
{
	const struct sw_entity *site = sw_entity_get(SW_ENT_SITE);
	int url = sw_entity_field_key(site, "url");

	(void)state;
	assert_true(url >= 0);
	assert_string_equal(site->fields[url].key, "url");
	assert_int_equal(sw_entity_field(site, "url"), url);          /* key */
	assert_int_equal(sw_entity_field(site, "首页地址"), url);     /* label */
	assert_int_equal(sw_entity_field(site, "网址"), url);         /* alias */
	assert_int_equal(sw_entity_field(site, "URL"), url);          /* key, any case */
	assert_int_equal(sw_entity_field(site, "Url"), url);
	assert_int_equal(sw_entity_field(site, "HomePage"), url);     /* alias, any case */
	assert_int_equal(sw_entity_field(site, "ICP"), sw_entity_field_key(site, "icp"));
	assert_int_equal(sw_entity_field(site, "icp备案"), sw_entity_field_key(site, "icp")); /* alias */
	/* Not found: empty, partial, padded, another entity's field. */
	assert_int_equal(sw_entity_field(site, ""), -1);
	assert_int_equal(sw_entity_field(site, "ur"), -1);
	assert_int_equal(sw_entity_field(site, "url "), -1);
	assert_int_equal(sw_entity_field(site, "首页"), -1);
	assert_int_equal(sw_entity_field(site, "credit_code"), -1);
	assert_int_equal(sw_entity_field(site, "统一社会信用代码"), -1);
	/* sw_entity_field_key is exact: no labels, aliases or case folding. */
	assert_int_equal(sw_entity_field_key(site, "URL"), -1);
	assert_int_equal(sw_entity_field_key(site, "首页地址"), -1);
	assert_int_equal(sw_entity_field_key(site, ""), -1);
}

/* Asserts that word names field i of ent and nothing else. */
static void names_own_field(const struct sw_entity *ent, size_t i, const char *word)
{
	int got = sw_entity_field(ent, word);

	if (got != (int)i)
		fail_msg("%s: '%s' (alias of %s) finds field %s", ent->name, word, ent->fields[i].key,
			 got < 0 ? "none" : ent->fields[got].key);
}

/* Every key, label and alias of every entity finds its own field, in any
 * ASCII case, so no alias shadows another field's key, label or alias. */
static void test_no_alias_shadows(void **state)
{
	(void)state;
	for (int e = 0; e < SW_ENT__COUNT; e++) {
		const struct sw_entity *ent = sw_entity_get((enum sw_ent)e);

		for (size_t i = 0; i < ent->nfields; i++) {
			const struct sw_field *f = &ent->fields[i];
			char upper[64];

			names_own_field(ent, i, f->key);
			names_own_field(ent, i, f->zh);
			each_word(f->aliases, names_own_field, ent, i);
			for (size_t k = 0; k < sizeof upper; k++)
				if (!(upper[k] = (char)(f->key[k] >= 'a' && f->key[k] <= 'z'
								? f->key[k] - 32 : f->key[k])))
					break;
			names_own_field(ent, i, upper);
			assert_string_equal(ent->fields[sw_field_index(ent->id, f->key)].key, f->key);
			assert_non_null(f->col);
			assert_non_null(f->help);
			if (f->type == SW_FT_ENUM)
				assert_non_null(f->enums);
			if (f->type == SW_FT_LIST)
				assert_non_null(f->validate);
			if (f->type == SW_FT_REF)
				assert_true(f->ref < SW_ENT__COUNT);
			if (f->type == SW_FT_INT)
				assert_true(f->imin <= f->imax);
		}
	}
}

/* A site register's columns are looked up among site fields first, then
 * unit fields: a unit field's key or label (other than the shared name and
 * note) must not also name a site field, or that unit column would be
 * read as the site's. */
static void test_unit_columns_not_shadowed_by_site(void **state)
{
	const struct sw_entity *site = sw_entity_get(SW_ENT_SITE);
	const struct sw_entity *unit = sw_entity_get(SW_ENT_UNIT);

	(void)state;
	for (size_t i = 0; i < unit->nfields; i++) {
		const struct sw_field *f = &unit->fields[i];

		if (!strcmp(f->key, "name") || !strcmp(f->key, "note"))
			continue;
		if (sw_entity_field(site, f->zh) >= 0)
			fail_msg("unit label %s is also a site column", f->zh);
		if (sw_entity_field(site, f->key) >= 0)
			fail_msg("unit key %s is also a site column", f->key);
	}
}

/* Every spelling of every enum value of every field finds that value. */
static void test_enum_spellings_unique(void **state)
{
	(void)state;
	for (int e = 0; e < SW_ENT__COUNT; e++) {
		const struct sw_entity *ent = sw_entity_get((enum sw_ent)e);

		for (size_t i = 0; i < ent->nfields; i++) {
			const struct sw_enum_val *vals = ent->fields[i].enums;

			if (ent->fields[i].type != SW_FT_ENUM)
				continue;
			for (const struct sw_enum_val *v = vals; v->key; v++) {
				char buf[512], *save = NULL;

				assert_ptr_equal(sw_enum_find(vals, v->key), v);
				assert_ptr_equal(sw_enum_find(vals, v->zh), v);
				assert_string_equal(sw_enum_zh(vals, v->key), v->zh);
				if (!v->aliases)
					continue;
				snprintf(buf, sizeof buf, "%s", v->aliases);
				for (char *w = strtok_r(buf, "|", &save); w; w = strtok_r(NULL, "|", &save))
					if (sw_enum_find(vals, w) != v)
						fail_msg("%s.%s: alias '%s' of %s finds another value", ent->name,
							 ent->fields[i].key, w, v->key);
			}
			/* A stated default must be one of the values. */
			if (ent->fields[i].dflt)
				assert_non_null(sw_enum_find(vals, ent->fields[i].dflt));
		}
	}
}

static void test_enum_find(void **state)
{
	const struct sw_entity *unit = sw_entity_get(SW_ENT_UNIT);
	const struct sw_enum_val *types = unit->fields[sw_field_index(SW_ENT_UNIT, "type")].enums;
	const struct sw_enum_val *v;

	(void)state;
	assert_null(sw_enum_find(NULL, "soe"));
	assert_null(sw_enum_find(types, ""));
	assert_null(sw_enum_find(types, "unknown"));
	assert_non_null(v = sw_enum_find(types, "soe"));
	assert_string_equal(v->key, "soe");
	assert_ptr_equal(sw_enum_find(types, "SOE"), v);          /* key, any case */
	assert_ptr_equal(sw_enum_find(types, "国有企业"), v);     /* Chinese label */
	assert_ptr_equal(sw_enum_find(types, "国企"), v);         /* alias */
	assert_ptr_equal(sw_enum_find(types, "State_Owned"), v);  /* alias, any case */
	assert_ptr_equal(sw_enum_find(types, "国有"), v);
	assert_null(sw_enum_find(types, "国有企"));
	assert_string_equal(sw_enum_find(types, "党政机关")->key, "party_gov");
	assert_string_equal(sw_enum_find(types, "其它")->key, "other");
	assert_string_equal(sw_enum_find(sw_person_roles, "安全负责人")->key, "security");
	assert_string_equal(sw_enum_find(sw_person_roles, "联系人")->key, "contact");
	/* sw_enum_zh: label by key, the key itself when unknown. */
	{
		const char *odd = "no-such-key";

		assert_string_equal(sw_enum_zh(types, "institution"), "事业单位");
		assert_ptr_equal(sw_enum_zh(types, odd), odd);
		assert_ptr_equal(sw_enum_zh(NULL, odd), odd);
		/* Keys are matched exactly here: they come from the store. */
		assert_string_equal(sw_enum_zh(types, "SOE"), "SOE");
	}
}

static void test_rec_set_get(void **state)
{
	const struct sw_entity *site = sw_entity_get(SW_ENT_SITE);
	int name = sw_field_index(SW_ENT_SITE, "name");
	int grade = sw_field_index(SW_ENT_SITE, "mlps_grade");
	struct sw_rec r;

	(void)state;
	sw_rec_init(&r, site);
	assert_ptr_equal(r.ent, site);
	assert_true(r.id == 0);
	for (size_t i = 0; i < site->nfields; i++)
		assert_null(sw_rec_get(&r, (int)i));
	/* Out of range reads are NULL, not a crash. */
	assert_null(sw_rec_get(&r, -1));
	assert_null(sw_rec_get(&r, (int)site->nfields));
	assert_null(sw_rec_get(&r, SW_REC_MAX_FIELDS + 5));

	assert_int_equal(sw_rec_set(&r, name, "首都之窗"), SW_OK);
	assert_string_equal(sw_rec_get(&r, name), "首都之窗");
	assert_int_equal(sw_rec_set(&r, name, ""), SW_OK); /* empty is a value */
	assert_non_null(sw_rec_get(&r, name));
	assert_string_equal(sw_rec_get(&r, name), "");
	assert_int_equal(sw_rec_set(&r, name, NULL), SW_OK);
	assert_null(sw_rec_get(&r, name));
	{
		char buf[8] = "abc";

		assert_int_equal(sw_rec_set(&r, name, buf), SW_OK);
		buf[0] = 'X'; /* the record holds a copy */
		assert_string_equal(sw_rec_get(&r, name), "abc");
	}

	assert_true(sw_rec_get_int(&r, grade, -9) == -9); /* unset */
	assert_int_equal(sw_rec_set(&r, grade, ""), SW_OK);
	assert_true(sw_rec_get_int(&r, grade, -9) == -9); /* empty */
	assert_int_equal(sw_rec_set(&r, grade, "3x"), SW_OK);
	assert_true(sw_rec_get_int(&r, grade, -9) == -9); /* not a number */
	assert_int_equal(sw_rec_set_int(&r, grade, 3), SW_OK);
	assert_string_equal(sw_rec_get(&r, grade), "3");
	assert_true(sw_rec_get_int(&r, grade, -9) == 3);
	assert_int_equal(sw_rec_set_int(&r, grade, 0), SW_OK);
	assert_string_equal(sw_rec_get(&r, grade), "0");
	assert_int_equal(sw_rec_set_int(&r, grade, -42), SW_OK);
	assert_string_equal(sw_rec_get(&r, grade), "-42");
	assert_int_equal(sw_rec_set_int(&r, grade, INT64_MAX), SW_OK);
	assert_string_equal(sw_rec_get(&r, grade), "9223372036854775807");
	assert_true(sw_rec_get_int(&r, grade, 0) == INT64_MAX);
	assert_int_equal(sw_rec_set_int(&r, grade, INT64_MIN), SW_OK);
	assert_string_equal(sw_rec_get(&r, grade), "-9223372036854775808");
	assert_true(sw_rec_get_int(&r, grade, 0) == INT64_MIN);

	sw_rec_cleanup(&r);
	assert_ptr_equal(r.ent, site); /* still usable */
	assert_null(sw_rec_get(&r, name));
	assert_int_equal(sw_rec_set(&r, name, "again"), SW_OK);
	sw_rec_cleanup(&r);
	sw_rec_cleanup(&r);
}

static void test_rec_copy(void **state)
{
	const struct sw_entity *site = sw_entity_get(SW_ENT_SITE);
	struct sw_rec a, b;

	(void)state;
	sw_rec_init(&a, site);
	/* An empty record copies to an empty record. */
	assert_int_equal(sw_rec_copy(&b, &a), SW_OK);
	for (size_t i = 0; i < site->nfields; i++)
		assert_null(sw_rec_get(&b, (int)i));
	assert_null(b.created_at);
	sw_rec_cleanup(&b);

	a.id = 17;
	for (size_t i = 0; i < site->nfields; i += 2) {
		char v[32];

		snprintf(v, sizeof v, "value %zu", i);
		assert_int_equal(sw_rec_set(&a, (int)i, v), SW_OK);
	}
	a.created_at = strdup("2024-01-02T03:04:05Z");
	assert_non_null(a.created_at);
	assert_int_equal(sw_rec_copy(&b, &a), SW_OK);
	assert_ptr_equal(b.ent, site);
	assert_true(b.id == 17);
	for (size_t i = 0; i < site->nfields; i++) {
		if (i % 2) {
			assert_null(sw_rec_get(&b, (int)i));
			continue;
		}
		assert_string_equal(sw_rec_get(&b, (int)i), sw_rec_get(&a, (int)i));
		assert_ptr_not_equal(sw_rec_get(&b, (int)i), sw_rec_get(&a, (int)i));
	}
	assert_string_equal(b.created_at, a.created_at);
	assert_ptr_not_equal(b.created_at, a.created_at);
	assert_null(b.updated_at);
	/* Deep: freeing the source leaves the copy intact. */
	sw_rec_cleanup(&a);
	assert_string_equal(sw_rec_get(&b, 0), "value 0");
	sw_rec_cleanup(&b);
}

static void test_field_index(void **state)
{
	(void)state;
	for (int e = 0; e < SW_ENT__COUNT; e++) {
		const struct sw_entity *ent = sw_entity_get((enum sw_ent)e);

		for (size_t i = 0; i < ent->nfields; i++)
			assert_int_equal(sw_field_index((enum sw_ent)e, ent->fields[i].key), (int)i);
	}
	assert_int_equal(sw_field_index(SW_ENT_REGION, "code"), 0);
	assert_string_equal(sw_entity_get(SW_ENT_SITE)
				    ->fields[sw_field_index(SW_ENT_SITE, "mlps_next_due")].key,
			    "mlps_next_due");
}

/* A missing field is a programming error: sw_field_index aborts (checked
 * in a child process so the test run survives). */
static void test_field_index_missing_aborts(void **state)
{
	pid_t pid;
	int status = 0;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		sw_field_index(SW_ENT_SITE, "no_such_field");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entity_get),
		cmocka_unit_test(test_field_lookup),
		cmocka_unit_test(test_no_alias_shadows),
		cmocka_unit_test(test_unit_columns_not_shadowed_by_site),
		cmocka_unit_test(test_enum_spellings_unique),
		cmocka_unit_test(test_enum_find),
		cmocka_unit_test(test_rec_set_get),
		cmocka_unit_test(test_rec_copy),
		cmocka_unit_test(test_field_index),
		cmocka_unit_test(test_field_index_missing_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
