/*
 * hs_cache.c - cached Vectorscan compilation (hs_cache.h).
 */
#include "analyze/hs_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_FILE_MAX (256u << 20)

/* The cache directory into buf; 0 when there is none. */
static int cache_dir(char *buf, size_t cap)
{
	const char *d = getenv("SITEWARDEN_CACHE"), *x = getenv("XDG_CACHE_HOME"),
		   *h = getenv("HOME");
	int n;

	if (d && *d)
		n = snprintf(buf, cap, "%s", d);
	else if (x && *x)
		n = snprintf(buf, cap, "%s/sitewarden", x);
	else if (h && *h)
		n = snprintf(buf, cap, "%s/.cache/sitewarden", h);
	else
		return 0;
	if (n < 0 || (size_t)n >= cap)
		return 0;
	/* One level of parents is enough for ~/.cache. */
	if (!d && !x && h) {
		char parent[PATH_MAX];

		snprintf(parent, sizeof parent, "%s/.cache", h);
		mkdir(parent, 0700);
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return 0;
	return 1;
}

/* Hashes what determines the database into hex (65 bytes). */
static int key(const char *kind, const char *const *pat, const size_t *lens, const unsigned *flags,
	       const unsigned *ids, unsigned n, char hex[65])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char md[32];
	hs_platform_info_t plat;
	unsigned len = 0;
	int ok;

	if (!c)
		return 0;
	memset(&plat, 0, sizeof plat);
	hs_populate_platform(&plat);
	ok = EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(c, kind, strlen(kind) + 1) &&
	     EVP_DigestUpdate(c, hs_version(), strlen(hs_version()) + 1) &&
	     EVP_DigestUpdate(c, &plat, sizeof plat) && EVP_DigestUpdate(c, &n, sizeof n);
	for (unsigned i = 0; ok && i < n; i++) {
		size_t l = lens ? lens[i] : strlen(pat[i]);

		ok = EVP_DigestUpdate(c, &l, sizeof l) && EVP_DigestUpdate(c, pat[i], l) &&
		     EVP_DigestUpdate(c, &flags[i], sizeof flags[i]) &&
		     EVP_DigestUpdate(c, ids ? &ids[i] : &i, sizeof i);
	}
	ok = ok && EVP_DigestFinal_ex(c, md, &len);
	EVP_MD_CTX_free(c);
	for (unsigned i = 0; ok && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return ok;
}

static hs_database_t *load(const char *path)
{
	hs_database_t *db = NULL;
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size <= 0 || st.st_size > CACHE_FILE_MAX ||
	    !(buf = malloc((size_t)st.st_size))) {
		close(fd);
		return NULL;
	}
	if (read(fd, buf, (size_t)st.st_size) == st.st_size &&
	    hs_deserialize_database(buf, (size_t)st.st_size, &db) != HS_SUCCESS)
		db = NULL;
	free(buf);
	close(fd);
	return db;
}

/* Writes db to path through a temporary name, so readers never see half. */
static void store(const char *path, const hs_database_t *db)
{
	char tmp[PATH_MAX], *bytes = NULL;
	size_t len = 0;
	int fd;

	if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
		return;
	if (snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof tmp) {
		free(bytes);
		return;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) >= 0) {
		int ok = write(fd, bytes, len) == (ssize_t)len;

		close(fd);
		if (!ok || rename(tmp, path))
			unlink(tmp);
	}
	free(bytes);
}

/* Looks up the cache; on a miss compiles with fn and fills the cache. */
static hs_error_t cached(const char *kind, const char *const *pat, const size_t *lens,
			 const unsigned *flags, const unsigned *ids, unsigned n, hs_database_t **db,
			 hs_compile_error_t **err)
{
	char dir[PATH_MAX - 80], path[PATH_MAX], hex[65];
	int have = cache_dir(dir, sizeof dir) && key(kind, pat, lens, flags, ids, n, hex);
	hs_error_t rc;

	*err = NULL;
	if (have) {
		snprintf(path, sizeof path, "%s/hs-%s.db", dir, hex);
		if ((*db = load(path)))
			return HS_SUCCESS;
	}
	rc = lens ? hs_compile_lit_multi(pat, flags, ids, lens, n, HS_MODE_BLOCK, NULL, db, err)
		  : hs_compile_multi(pat, flags, ids, n, HS_MODE_BLOCK, NULL, db, err);
	if (rc == HS_SUCCESS && have)
		store(path, *db);
	return rc;
}

hs_error_t sw_hs_compile_multi(const char *const *expr, const unsigned *flags,
			       const unsigned *ids, unsigned n, hs_database_t **db,
			       hs_compile_error_t **err)
{
	return cached("multi", expr, NULL, flags, ids, n, db, err);
}

hs_error_t sw_hs_compile_lit_multi(const char *const *lits, const unsigned *flags,
				   const unsigned *ids, const size_t *lens, unsigned n,
				   hs_database_t **db, hs_compile_error_t **err)
{
	return cached("lit", lits, lens, flags, ids, n, db, err);
}
