/*
 * test_baseline.c - the baseline table and its index file
 * (src/agent/baseline.c, walk.c, hashtree.c, pack.c): a walked and hashed
 * tree is found again by path, survives a save/load round trip, stores
 * identical contents once, and a damaged index or pack is refused, never
 * used.  Lookups are checked against a naive reference (a linear search).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/baseline.h"
#include "agent/config.h"
#include "agent/hashtree.h"
#include "agent/pack.h"
#include "agent/walk.h"

static char tmp[512];

static void put(const char *rel, const char *text)
{
	char p[1024];
	FILE *f;

	snprintf(p, sizeof p, "%s/www/%s", tmp, rel);
	f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
}

static void sub(const char *rel)
{
	char p[1024];

	snprintf(p, sizeof p, "%s/www/%s", tmp, rel);
	mkdir(p, 0755);
}

/* Walks and hashes tmp/www into b with packs in tmp/packs. */
static void build(struct ag_base *b, struct ag_root_conf *rc, uint64_t *stored)
{
	char www[1024], packs[1024];
	struct ag_walk_stats ws;
	struct ag_hash_job j = {0};
	struct sw_errbuf eb;

	snprintf(www, sizeof www, "%s/www", tmp);
	snprintf(packs, sizeof packs, "%s/packs", tmp);
	mkdir(packs, 0700);
	sw_errbuf_clear(&eb);
	ag_base_init(b, AG_SHA256);
	assert_int_equal(ag_walk(www, rc, b, &ws, NULL, NULL, &eb), SW_OK);
	j.top = www;
	j.b = b;
	j.pack_dir = packs;
	j.threads = 2;
	assert_int_equal(ag_hash_tree(&j, &eb), SW_OK);
	*stored = j.stored;
}

static void test_walk_lookup_roundtrip(void **state)
{
	struct ag_root_conf rc = {0};
	char *ex[] = {"*.log"};
	struct ag_base b, l;
	struct sw_errbuf eb;
	char idx[1024], rel[1024], *root = NULL;
	uint64_t stored;

	(void)state;
	rc.exclude = ex;
	rc.n_exclude = 1;
	sub("a");
	sub("a/b");
	sub("z");
	put("index.html", "首页");
	put("a/x.html", "same");
	put("a/b/y.html", "same");
	put("z/q.txt", "other");
	put("z/skip.log", "log");
	symlink("index.html", strcat(strcpy(idx, tmp), "/www/home.html"));
	build(&b, &rc, &stored);
	assert_int_equal(stored, 3); /* "same" stored once */
	assert_int_equal(ag_base_lookup(&b, "z/skip.log"), AG_NONE);
	/* Every entry is found at its own path (reference: the table itself). */
	for (uint32_t i = 0; i < b.n; i++) {
		assert_true(ag_base_relpath(&b, i, rel, sizeof rel) >= 0);
		assert_int_equal(ag_base_lookup(&b, rel), i);
	}
	assert_int_equal(ag_base_lookup(&b, "a/nothere"), AG_NONE);
	assert_int_equal(ag_base_lookup(&b, "index.html/x"), AG_NONE);
	assert_int_equal(b.e[ag_base_lookup(&b, "home.html")].type, AG_LNK);
	assert_int_equal(ag_base_check(&b, NULL), SW_OK);

	snprintf(idx, sizeof idx, "%s/baseline.idx", tmp);
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_base_save(&b, "/srv/www", idx, &eb), SW_OK);
	assert_int_equal(ag_base_load(&l, idx, &root, &eb), SW_OK);
	assert_string_equal(root, "/srv/www");
	assert_int_equal(l.n, b.n);
	assert_memory_equal(l.e[ag_base_lookup(&l, "a/b/y.html")].hash,
			    b.e[ag_base_lookup(&b, "a/b/y.html")].hash, AG_HASH_LEN);
	free(root);
	ag_base_cleanup(&l);
	ag_base_cleanup(&b);
}

static void test_corrupt_index_refused(void **state)
{
	struct ag_root_conf rc = {0};
	struct ag_base b, l;
	struct sw_errbuf eb;
	char idx[1024];
	uint64_t stored;
	int fd;
	struct stat st;

	(void)state;
	build(&b, &rc, &stored);
	snprintf(idx, sizeof idx, "%s/corrupt.idx", tmp);
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_base_save(&b, "/srv/www", idx, &eb), SW_OK);
	ag_base_cleanup(&b);
	/* One flipped byte in the middle. */
	fd = open(idx, O_RDWR);
	fstat(fd, &st);
	pwrite(fd, "\xff", 1, st.st_size / 2);
	close(fd);
	assert_int_equal(ag_base_load(&l, idx, NULL, &eb), SW_EIO);
	assert_non_null(strstr(eb.msg, "corrupt"));
	/* Truncated. */
	truncate(idx, st.st_size - 7);
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_base_load(&l, idx, NULL, &eb), SW_EIO);
	/* Missing. */
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_base_load(&l, "/nonexistent/x.idx", NULL, &eb), SW_ENOTFOUND);
}

static void test_pack_verifies(void **state)
{
	char packs[1024], path[1200];
	struct ag_pack_writer w;
	struct ag_hasher h;
	uint8_t d[AG_HASH_LEN], buf[64];
	uint64_t off;
	struct sw_errbuf eb;
	int fd;

	(void)state;
	snprintf(packs, sizeof packs, "%s/packs", tmp);
	mkdir(packs, 0700);
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_hasher_init(&h, AG_SHA256, &eb), SW_OK);
	ag_hash_buf(&h, "hello", 5, d);
	assert_int_equal(ag_pack_create(&w, packs, "t.pack", AG_SHA256, &eb), SW_OK);
	assert_int_equal(ag_pack_put(&w, d, "hello", 5, &off), SW_OK);
	assert_int_equal(ag_pack_close(&w, &eb), SW_OK);
	snprintf(path, sizeof path, "%s/t.pack", packs);
	fd = open(path, O_RDWR);
	assert_int_equal(ag_pack_copy(fd, off, 5, d, &h, -1, buf, sizeof buf, &eb), SW_OK);
	assert_int_equal(ag_pack_copy(fd, off, 6, d, &h, -1, buf, sizeof buf, &eb), SW_EIO);
	pwrite(fd, "j", 1, (off_t)off + AG_PACK_HDR); /* "jello" */
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_pack_copy(fd, off, 5, d, &h, -1, buf, 2, &eb), SW_EIO);
	assert_non_null(strstr(eb.msg, "corrupt"));
	close(fd);
	ag_hasher_cleanup(&h);
}

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");
	char p[1024];

	(void)state;
	snprintf(tmp, sizeof tmp, "%s/agent-base-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(p, sizeof p, "%s/www", tmp);
	return mkdir(p, 0755);
}

static int teardown(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_lookup_roundtrip),
		cmocka_unit_test(test_corrupt_index_refused),
		cmocka_unit_test(test_pack_verifies),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
