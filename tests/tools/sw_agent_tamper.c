/*
 * sw_agent_tamper.c - the attacker and the visitor of the agent's
 * benchmark (bench/agent) and tests.
 *
 *   sw_agent_tamper latency --dir D --files N --count M
 *       M tampering writes, one after another, each to D/pK.html (K cycling
 *       over N files): open with O_TRUNC, write, close; then wait for the
 *       agent's restore (inotify IN_MOVED_TO of that name, 2 s at most) and
 *       check the content is the original again.  Prints p50/p99/max of
 *       write-start to restored, in microseconds, and the failures.
 *   sw_agent_tamper loop --dir D --files N --seconds S [--pause-us U] [--via T]
 *       Tampers random files of D in place as fast as it can (or every U
 *       microseconds) for S seconds; prints how many writes it made.  With
 *       --via, every other write is a replacement instead: a file written
 *       in directory T (same file system) renamed over the page.
 *   sw_agent_tamper fetch --url BASE --dir PRISTINE --files N --seconds S
 *                         [--concurrency C]
 *       A bounded client (C transfers at once, libcurl multi) fetching
 *       random BASE/pK.html for S seconds and comparing every 200 answer
 *       with PRISTINE/pK.html.  Prints total, identical, tampered (a 200
 *       whose body differs), denied (403) and other answers.
 *   sw_agent_tamper gen --dir D --files N [--seed S]
 *       Generates a web root of N files shaped like a portal's: directories
 *       of 100 files, mostly HTML of 1-20 KB, pictures of 5-60 KB (15 %),
 *       one file in 1,000 of 1-2 MB, and shared scripts repeated as
 *       identical copies (5 %); about 17 KB a file on average.
 * Files are named p1.html ... pN.html (latency, loop, fetch).
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Reads a whole small file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b)
		b[n] = '\0';
	*len = (size_t)n;
	return b;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Waits until inotify reports IN_MOVED_TO of name; 0 on time. */
static int wait_moved(int in, const char *name, int64_t deadline)
{
	char buf[8192] __attribute__((aligned(8)));

	for (;;) {
		int64_t left = (deadline - now_ns()) / 1000000;
		struct pollfd p = {in, POLLIN, 0};
		ssize_t n;
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		n = read(in, buf, sizeof buf);
		for (char *q = buf; n > 0 && q < buf + n;) {
			struct inotify_event *ev = (void *)q;
			if ((ev->mask & IN_MOVED_TO) && ev->len && !strcmp(ev->name, name))
				return 0;
			q += sizeof *ev + ev->len;
		}
	}
}

static int cmd_latency(const char *dir, int files, int count)
{
	int64_t *lat = calloc((size_t)count, sizeof *lat);
	int in = inotify_init1(IN_CLOEXEC), fails = 0, n = 0;
	char path[4096], name[64], msg[64];

	if (!lat || in < 0 || inotify_add_watch(in, dir, IN_MOVED_TO) < 0)
		return perror("inotify"), 2;
	for (int k = 0; k < count; k++) {
		size_t olen, nlen;
		char *orig, *now;
		int fd;
		int64_t t0;
		snprintf(name, sizeof name, "p%d.html", k % files + 1);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (!(orig = slurp(path, &olen)))
			return fprintf(stderr, "cannot read %s\n", path), 2;
		snprintf(msg, sizeof msg, "TAMPERED %d\n", k);
		t0 = now_ns();
		fd = open(path, O_WRONLY | O_TRUNC);
		if (fd >= 0) {
			if (write(fd, msg, strlen(msg)) < 0)
				fails++;
			close(fd);
		}
		if (wait_moved(in, name, t0 + 2000000000LL)) {
			fails++;
		} else {
			lat[n++] = (now_ns() - t0) / 1000;
		}
		/* The file must be the original again (give a late restore a
		 * moment; a second restore can follow a truncate). */
		for (int i = 0; i < 200; i++) {
			now = slurp(path, &nlen);
			int same = now && nlen == olen && !memcmp(now, orig, olen);
			free(now);
			if (same)
				break;
			if (i == 199)
				fails++;
			usleep(1000);
		}
		free(orig);
	}
	qsort(lat, (size_t)n, sizeof *lat, cmp_i64);
	printf("writes %d restored %d failures %d p50_us %lld p99_us %lld max_us %lld\n", count, n,
	       fails, n ? (long long)lat[n / 2] : -1LL,
	       n ? (long long)lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] : -1LL,
	       n ? (long long)lat[n - 1] : -1LL);
	free(lat);
	close(in);
	return fails ? 1 : 0;
}

static int cmd_loop(const char *dir, int files, double seconds, int pause_us, const char *via)
{
	int64_t end = now_ns() + (int64_t)(seconds * 1e9);
	long writes = 0, renames = 0, tries = 0;
	char path[4096], tmp[4096], msg[64];
	unsigned seed = 7;

	while (now_ns() < end) {
		int k = (int)(rand_r(&seed) % (unsigned)files) + 1, fd;
		snprintf(path, sizeof path, "%s/p%d.html", dir, k);
		snprintf(msg, sizeof msg, "TAMPERED %ld\n", tries);
		if (via && tries++ % 2) {
			snprintf(tmp, sizeof tmp, "%s/t%ld", via, tries);
			fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd >= 0) {
				if (write(fd, msg, strlen(msg)) > 0 && rename(tmp, path) == 0)
					renames++;
				close(fd);
			}
		} else {
			tries += !via;
			fd = open(path, O_WRONLY | O_TRUNC);
			if (fd >= 0) {
				if (write(fd, msg, strlen(msg)) > 0)
					writes++;
				close(fd);
			}
		}
		if (pause_us)
			usleep((useconds_t)pause_us);
	}
	printf("tampering writes %ld renames %ld attempts %ld\n", writes, renames, tries);
	return 0;
}

struct xfer {
	CURL *h;
	int k;
	char *body;
	size_t len, cap;
};

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t k = sz * n;

	if (x->len + k > x->cap) {
		size_t cap = (x->len + k) * 2;
		char *b = realloc(x->body, cap);
		if (!b)
			return 0;
		x->body = b;
		x->cap = cap;
	}
	memcpy(x->body + x->len, p, k);
	x->len += k;
	return k;
}

static void start_xfer(CURLM *m, struct xfer *x, const char *base, int files, unsigned *seed)
{
	char url[4096];

	x->k = (int)(rand_r(seed) % (unsigned)files) + 1;
	x->len = 0;
	snprintf(url, sizeof url, "%s/p%d.html", base, x->k);
	curl_easy_setopt(x->h, CURLOPT_URL, url);
	curl_multi_add_handle(m, x->h);
}

static int cmd_fetch(const char *base, const char *dir, int files, double seconds, int conc)
{
	char **orig = calloc((size_t)files + 1, sizeof *orig);
	size_t *olen = calloc((size_t)files + 1, sizeof *olen);
	struct xfer *x = calloc((size_t)conc, sizeof *x);
	CURLM *m;
	int64_t end = now_ns() + (int64_t)(seconds * 1e9);
	long total = 0, same = 0, tampered = 0, denied = 0, other = 0, running = 0;
	unsigned seed = 11;
	char path[4096];

	if (!orig || !olen || !x)
		return 2;
	for (int k = 1; k <= files; k++) {
		snprintf(path, sizeof path, "%s/p%d.html", dir, k);
		if (!(orig[k] = slurp(path, &olen[k])))
			return fprintf(stderr, "cannot read %s\n", path), 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	m = curl_multi_init();
	for (int i = 0; i < conc; i++) {
		x[i].h = curl_easy_init();
		curl_easy_setopt(x[i].h, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(x[i].h, CURLOPT_WRITEDATA, &x[i]);
		curl_easy_setopt(x[i].h, CURLOPT_PRIVATE, &x[i]);
		curl_easy_setopt(x[i].h, CURLOPT_TIMEOUT_MS, 5000L);
		start_xfer(m, &x[i], base, files, &seed);
	}
	do {
		int still, q;
		CURLMsg *msg;
		curl_multi_perform(m, &still);
		while ((msg = curl_multi_info_read(m, &q))) {
			struct xfer *t;
			long code = 0;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			total++;
			if (msg->data.result != CURLE_OK)
				other++;
			else if (code == 200 && t->len == olen[t->k] && !memcmp(t->body, orig[t->k], t->len))
				same++;
			else if (code == 200)
				tampered++;
			else if (code == 403)
				denied++;
			else
				other++;
			curl_multi_remove_handle(m, t->h);
			if (now_ns() < end)
				start_xfer(m, t, base, files, &seed);
		}
		running = still;
		curl_multi_poll(m, NULL, 0, 100, NULL);
	} while (now_ns() < end || running > 0);
	printf("responses %ld identical %ld tampered %ld denied %ld other %ld\n", total, same,
	       tampered, denied, other);
	for (int i = 0; i < conc; i++) {
		curl_easy_cleanup(x[i].h);
		free(x[i].body);
	}
	curl_multi_cleanup(m);
	for (int k = 1; k <= files; k++)
		free(orig[k]);
	free(orig);
	free(olen);
	free(x);
	return 0;
}

/* Fills buf with n bytes of page-like text: a slice of a pool made once,
 * at a random offset, with the slice's number written in (so files
 * differ). */
static void fill(char *buf, size_t n, unsigned *seed)
{
	static char pool[1 << 20];
	static int ready;
	static const char words[] = "<p>政务公开 通知公告 人民政府 办事服务 </p>\n<div class=\"news\">";
	size_t off;

	if (!ready) {
		unsigned s = 99;
		for (size_t i = 0; i < sizeof pool; i++)
			pool[i] = (i % 97 < 60) ? words[(i + rand_r(&s) % 7) % (sizeof words - 1)]
						: (char)('a' + rand_r(&s) % 26);
		ready = 1;
	}
	for (size_t done = 0; done < n;) {
		size_t k;
		off = rand_r(seed) % (sizeof pool / 2);
		k = n - done < sizeof pool / 2 ? n - done : sizeof pool / 2;
		memcpy(buf + done, pool + off, k);
		done += k;
	}
	if (n > 16)
		snprintf(buf, 16, "%08x", rand_r(seed));
}

static int cmd_gen(const char *dir, int files, unsigned seed)
{
	char path[4096], *buf = malloc(4 << 20), *shared = malloc(64 << 10);
	int d = -1;

	if (!buf || !shared)
		return 2;
	fill(shared, 64 << 10, &seed);
	mkdir(dir, 0755);
	for (int i = 0; i < files; i++) {
		size_t n;
		FILE *f;
		int r = (int)(rand_r(&seed) % 1000);
		if (i / 100 != d) {
			d = i / 100;
			snprintf(path, sizeof path, "%s/d%04d", dir, d);
			mkdir(path, 0755);
		}
		if (r < 50) { /* shared script or style, identical everywhere */
			snprintf(path, sizeof path, "%s/d%04d/common%d-%d.js", dir, d, i % 7, i);
			n = 20000 + (size_t)(i % 7) * 1000;
			f = fopen(path, "wb");
			if (f) {
				fwrite(shared, 1, n, f);
				fclose(f);
			}
			continue;
		}
		if (r < 51)
			n = (1u << 20) + rand_r(&seed) % (1u << 20);
		else if (r < 200)
			n = 5000 + rand_r(&seed) % 55000;
		else
			n = 1000 + rand_r(&seed) % 19000;
		fill(buf, n, &seed);
		snprintf(path, sizeof path, "%s/d%04d/f%d.%s", dir, d, i, r < 250 ? "png" : "html");
		f = fopen(path, "wb");
		if (!f)
			return perror(path), 2;
		fwrite(buf, 1, n, f);
		fclose(f);
	}
	free(buf);
	free(shared);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *url = NULL, *via = NULL;
	int files = 100, count = 1000, conc = 8, pause_us = 0;
	unsigned seed = 1;
	double seconds = 5;

	if (argc < 2)
		goto usage;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--dir"))
			dir = argv[i + 1];
		else if (!strcmp(argv[i], "--url"))
			url = argv[i + 1];
		else if (!strcmp(argv[i], "--files"))
			files = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--count"))
			count = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--concurrency"))
			conc = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--pause-us"))
			pause_us = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--via"))
			via = argv[i + 1];
		else if (!strcmp(argv[i], "--seed"))
			seed = (unsigned)atoi(argv[i + 1]);
		else
			goto usage;
	}
	if (!dir || files < 1 || count < 1 || conc < 1 || conc > 256)
		goto usage;
	if (!strcmp(argv[1], "gen"))
		return cmd_gen(dir, files, seed);
	if (!strcmp(argv[1], "latency"))
		return cmd_latency(dir, files, count);
	if (!strcmp(argv[1], "loop"))
		return cmd_loop(dir, files, seconds, pause_us, via);
	if (!strcmp(argv[1], "fetch") && url)
		return cmd_fetch(url, dir, files, seconds, conc);
usage:
	fprintf(stderr, "usage: sw_agent_tamper gen|latency|loop|fetch --dir D [--files N] [--count M] "
			"[--seconds S] [--url BASE] [--concurrency C] [--pause-us U] [--via T]\n");
	return 2;
}
