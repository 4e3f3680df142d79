/*
 * sw_bench_fetch.c - the baseline of bench/probe: a minimal libcurl multi
 * client that fetches every URL of a list once and throws the bodies away.
 * It is the limit a prober built on libcurl can approach, so it does nothing
 * else: no checks, no result records, no redirects, no charset work.
 *
 * Usage: sw_bench_fetch [--concurrency N] [--resolve HOST:PORT:ADDR]...
 *                       [--cacert PEM] [--no-reuse] [FILE]
 * URLs one per line from FILE or standard input (empty lines and '#'
 * comments skipped).  The same limits as sitewarden's fetcher: at most N
 * transfers in flight (default 256, added from our own window as earlier
 * ones finish) and CURLMOPT_MAX_HOST_CONNECTIONS 4.  HTTP/2 over TLS as
 * libcurl offers it by default.  With --cacert the peer is verified against
 * that file, as a correct minimal client would; without it verification is
 * off.  --no-reuse closes each connection when its transfer ends
 * (CURLOPT_FORBID_REUSE) instead of keeping it in libcurl's connection
 * cache: an experiment, not the baseline (see bench/README.md).  Prints "fetched N ok M failed F bytes B" on stderr and exits 1 when
 * any fetch failed or answered other than 2xx, so a benchmark cannot count
 * fast failures as fast fetches; 2 for a usage error.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESOLVE_MAX 64

/* Counters and settings of one run. */
struct bench {
	CURLM *multi;
	struct curl_slist *resolve;
	const char *cacert;
	int no_reuse;
	char **urls;
	size_t n, next, active, ok, failed;
	curl_off_t bytes;
};

/* Write callback: counts the bytes and discards them. */
static size_t discard(char *p, size_t size, size_t nmemb, void *arg)
{
	struct bench *b = arg;

	(void)p;
	b->bytes += (curl_off_t)(size * nmemb);
	return size * nmemb;
}

/* Reads the URL list from f into b->urls; returns 0 on success. */
static int read_urls(struct bench *b, FILE *f)
{
	char line[4096];
	size_t cap = 0;

	while (fgets(line, sizeof line, f)) {
		char *s = line + strspn(line, " \t");

		s[strcspn(s, "\r\n")] = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		if (b->n == cap) {
			char **v;

			cap = cap ? 2 * cap : 1024;
			if (!(v = realloc(b->urls, cap * sizeof *v)))
				return -1;
			b->urls = v;
		}
		if (!(b->urls[b->n] = strdup(s)))
			return -1;
		b->n++;
	}
	return 0;
}

/* Starts the next URL of the list on a new easy handle; 0 on success. */
static int start_next(struct bench *b)
{
	CURL *e = curl_easy_init();

	if (!e)
		return -1;
	curl_easy_setopt(e, CURLOPT_URL, b->urls[b->next++]);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 30000L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	if (b->resolve)
		curl_easy_setopt(e, CURLOPT_RESOLVE, b->resolve);
	if (b->no_reuse)
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	if (b->cacert) {
		curl_easy_setopt(e, CURLOPT_CAINFO, b->cacert);
	} else {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (curl_multi_add_handle(b->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		return -1;
	}
	b->active++;
	return 0;
}

/* Collects finished transfers, counting each as ok (2xx) or failed. */
static void reap(struct bench *b)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(b->multi, &left))) {
		long status = 0;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
		if (m->data.result == CURLE_OK && status >= 200 && status < 300)
			b->ok++;
		else
			b->failed++;
		curl_multi_remove_handle(b->multi, m->easy_handle);
		curl_easy_cleanup(m->easy_handle);
		b->active--;
	}
}

/* Runs the whole list with at most max transfers in flight; 0 on success.
 * Bounded: every transfer has a 30 s time-out, so each pass of the loop
 * makes progress or waits at most one poll interval for it. */
static int run(struct bench *b, size_t max)
{
	int running = 0;

	while (b->next < b->n || b->active) {
		while (b->next < b->n && b->active < max)
			if (start_next(b))
				return -1;
		if (curl_multi_perform(b->multi, &running) != CURLM_OK)
			return -1;
		reap(b);
		if (b->active && curl_multi_poll(b->multi, NULL, 0, 1000, NULL) != CURLM_OK)
			return -1;
	}
	return 0;
}

/* Prints the usage text to f. */
static void usage(FILE *f)
{
	fputs("usage: sw_bench_fetch [--concurrency N] [--resolve HOST:PORT:ADDR]... [--cacert PEM]"
	      " [--no-reuse] [FILE]\n",
	      f);
}

int main(int argc, char **argv)
{
	struct bench b = {0};
	const char *path = NULL;
	long max = 256;
	FILE *f;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--concurrency") && i + 1 < argc) {
			max = strtol(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--resolve") && i + 1 < argc) {
			b.resolve = curl_slist_append(b.resolve, argv[++i]);
		} else if (!strcmp(argv[i], "--no-reuse")) {
			b.no_reuse = 1;
		} else if (!strcmp(argv[i], "--cacert") && i + 1 < argc) {
			b.cacert = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (max < 1 || max > 10000) {
		fputs("sw_bench_fetch: --concurrency must be 1 to 10000\n", stderr);
		return 2;
	}
	if (!(f = path ? fopen(path, "r") : stdin)) {
		perror(path);
		return 2;
	}
	rc = read_urls(&b, f);
	if (f != stdin)
		fclose(f);
	if (rc || curl_global_init(CURL_GLOBAL_DEFAULT) || !(b.multi = curl_multi_init())) {
		fputs("sw_bench_fetch: cannot start\n", stderr);
		return 2;
	}
	curl_multi_setopt(b.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max);
	curl_multi_setopt(b.multi, CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
	curl_multi_setopt(b.multi, CURLMOPT_MAXCONNECTS, max);
	rc = run(&b, (size_t)max);
	fprintf(stderr, "fetched %zu ok %zu failed %zu bytes %lld\n", b.next, b.ok, b.failed,
		(long long)b.bytes);
	curl_multi_cleanup(b.multi);
	curl_slist_free_all(b.resolve);
	for (size_t k = 0; k < b.n; k++)
		free(b.urls[k]);
	free(b.urls);
	curl_global_cleanup();
	if (rc)
		return 2;
	return b.failed ? 1 : 0;
}
