/*
 * cmd_evidence.c - `sitewarden evidence`: freeze, list, show, export and
 * verify evidence packages, check and sign the ledger.
 *
 * The key directory (--key-dir, SITEWARDEN_KEY_DIR, or "keys" beside the
 * database file) holds the signing key, made at first use with mode 0600.
 * `evidence verify FILE` needs neither database nor key: a package carries
 * its own public key.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "evidence/evidence.h"
#include "probe/fetch.h"
#include "register/register.h"
#include "store/incident.h"

#define MAX_CHECKS 1000
#define MAX_RESOLVE 16

struct opts {
	const char *key_dir, *out, *site, *label, *name, *type, *url, *ca_file;
	const char *resolve[MAX_RESOLVE + 1];
	size_t n_resolve;
	enum sw_ev_hash hash;
	enum sw_ev_sig sig;
	int json, raw;
	int64_t since, limit, check_ids[MAX_CHECKS];
	size_t n_checks;
};

static int help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden evidence COMMAND [OPTIONS]\n"
		"\n"
		"Evidence fixing (固定证据): frozen HTTP exchanges, certificates, findings and\n"
		"quarantined files in an append-only hash chain (SM3; SHA-256 by option)\n"
		"whose head is signed (SM2; Ed25519 by option).\n"
		"\n"
		"  export INCIDENT -o FILE        package the evidence of an incident's checks\n"
		"  export --check ID... -o FILE   ... of these checks (frozen now if not yet)\n"
		"  export --site S --since T -o FILE   ... of a site's checks with findings\n"
		"  verify FILE                    check a package without the database\n"
		"  ledger verify                  check the whole stored chain and signatures\n"
		"  list [--site S] [--check ID] [--since T] [--limit N]\n"
		"  show SEQ [--raw]               one entry (--raw: its bytes to stdout)\n"
		"  freeze --check ID...           freeze stored checks after the fact\n"
		"  freeze --site S [--url U] [--resolve H:P:A] [--ca-file F]\n"
		"                                 fetch the site's page now and freeze the\n"
		"                                 whole exchange (headers, body, addresses, chain)\n"
		"  add --site S [--check ID] --name N [--type MEDIA] FILE   freeze a file\n"
		"                                 (e.g. one the agent quarantined)\n"
		"  sign                           sign the ledger head now\n"
		"  pubkey                         print the public key (PEM)\n"
		"\n"
		"Options: --json, --key-dir DIR (default: keys/ beside the database, or\n"
		"SITEWARDEN_KEY_DIR), --hash sm3|sha256, --sign sm2|ed25519, --label L.\n"
		"T is unix seconds or YYYY-MM-DD[THH:MM:SSZ].  docs/evidence.md tells how to\n"
		"check a package with openssl and tar alone.\n");
	return f == stdout ? SW_EXIT_OK : SW_EXIT_USAGE;
}

/* Parses unix seconds or an ISO 8601 UTC date/time; -1 when neither. */
static int64_t parse_time(const char *s)
{
	struct tm tm = {0};
	const char *end;
	char *e;
	long long v;

	errno = 0;
	v = strtoll(s, &e, 10);
	if (*s && !*e && !errno && v >= 0 && strlen(s) != 10)
		return v;
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) && !*end)
		return (int64_t)timegm(&tm);
	memset(&tm, 0, sizeof tm);
	if ((end = strptime(s, "%Y-%m-%d", &tm)) && !*end)
		return (int64_t)timegm(&tm);
	if (*s && !*e && !errno && v >= 0)
		return v;
	return -1;
}

/* Parses a positive id; -1 when it is not one. */
static int64_t parse_id(const char *s)
{
	char *e;
	long long v;

	errno = 0;
	v = strtoll(s, &e, 10);
	return (*s && !*e && !errno && v > 0) ? v : -1;
}

/* Parses the options after the verb into o; leaves positional arguments
 * from optind.  Returns an exit status (SW_EXIT_OK to go on). */
static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"json", no_argument, NULL, 'j'},	  {"key-dir", required_argument, NULL, 'k'},
		{"hash", required_argument, NULL, 'H'},   {"sign", required_argument, NULL, 'S'},
		{"output", required_argument, NULL, 'o'}, {"check", required_argument, NULL, 'c'},
		{"site", required_argument, NULL, 's'},	  {"since", required_argument, NULL, 't'},
		{"limit", required_argument, NULL, 'n'},  {"label", required_argument, NULL, 'l'},
		{"name", required_argument, NULL, 'N'},	  {"type", required_argument, NULL, 'T'},
		{"raw", no_argument, NULL, 'r'},	  {"help", no_argument, NULL, 'h'},
		{"url", required_argument, NULL, 'u'},	  {"resolve", required_argument, NULL, 'R'},
		{"ca-file", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	int c;

	optind = 0; /* glibc: re-initialise, argv is a new vector */
	while ((c = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = 1; break;
		case 'r': o->raw = 1; break;
		case 'k': o->key_dir = optarg; break;
		case 'o': o->out = optarg; break;
		case 's': o->site = optarg; break;
		case 'l': o->label = optarg; break;
		case 'N': o->name = optarg; break;
		case 'T': o->type = optarg; break;
		case 'u': o->url = optarg; break;
		case 'a': o->ca_file = optarg; break;
		case 'R':
			if (o->n_resolve == MAX_RESOLVE)
				return sw_cli_usage("evidence", "at most %d --resolve entries", MAX_RESOLVE);
			o->resolve[o->n_resolve++] = optarg;
			break;
		case 'H':
			if (sw_ev_hash_parse(optarg, &o->hash))
				return sw_cli_usage("evidence", "--hash is sm3 or sha256");
			break;
		case 'S':
			if (sw_ev_sig_parse(optarg, &o->sig))
				return sw_cli_usage("evidence", "--sign is sm2 or ed25519");
			break;
		case 'c':
			if (o->n_checks == MAX_CHECKS || (o->check_ids[o->n_checks] = parse_id(optarg)) < 0)
				return sw_cli_usage("evidence", "--check takes up to %d check ids",
						    MAX_CHECKS);
			o->n_checks++;
			break;
		case 't':
			if ((o->since = parse_time(optarg)) < 0)
				return sw_cli_usage("evidence", "--since: not a time: %s", optarg);
			break;
		case 'n':
			if ((o->limit = parse_id(optarg)) < 0)
				return sw_cli_usage("evidence", "--limit takes a positive number");
			break;
		case 'h': return help(stdout);
		default: return sw_cli_bad_option("evidence", argv);
		}
	}
	return SW_EXIT_OK;
}

/* Opens the store and the ledger with the key (created when `create`). */
static int open_ev(struct sw_cli *cli, const struct opts *o, int create,
		   struct sw_evidence **ev)
{
	char dir[4096];
	struct sw_ev_opts eo;
	struct sw_errbuf eb;
	struct sw_store *st;
	enum sw_err rc;
	const char *env = getenv("SITEWARDEN_KEY_DIR");

	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_ev_opts_init(&eo);
	eo.hash = o->hash;
	eo.sig = o->sig;
	eo.create_key = create;
	if (o->key_dir)
		snprintf(dir, sizeof dir, "%s", o->key_dir);
	else if (env && *env)
		snprintf(dir, sizeof dir, "%s", env);
	else
		sw_ev_default_key_dir(cli->db, dir, sizeof dir);
	eo.key_dir = dir;
	sw_errbuf_clear(&eb);
	rc = sw_evidence_open(st, &eo, ev, &eb);
	if (rc == SW_ENOTFOUND && !create) {
		/* Checking without the key still checks every hash and link. */
		eo.key_dir = NULL;
		sw_errbuf_clear(&eb);
		rc = sw_evidence_open(st, &eo, ev, &eb);
	}
	return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
}

/* Collected seqs of ledger entries. */
struct seqs {
	int64_t *v;
	size_t n, cap;
	int oom;
};

static int seq_cb(void *arg, const struct sw_ev_row *r)
{
	struct seqs *s = arg;

	if (!strcmp(r->kind, "export"))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		int64_t *nv = cap <= SW_EV_EXPORT_MAX_ITEMS * 2 ? realloc(s->v, cap * sizeof *nv) : NULL;

		if (!nv) {
			s->oom = 1;
			return 1;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = r->seq;
	return 0;
}

/* Adds one seq (from sw_evidence_incident_seqs). */
static int seq_add(void *arg, int64_t seq)
{
	struct sw_ev_row r = {.seq = seq, .kind = "item"};

	return seq_cb(arg, &r);
}

struct freeze_ctx {
	struct sw_evidence *ev;
	struct seqs *s;
	enum sw_err rc;
	struct sw_errbuf *eb;
};

/* Freezes check id when not yet, then collects its entries. */
static int freeze_collect(void *arg, int64_t check_id)
{
	struct freeze_ctx *f = arg;

	if ((f->rc = sw_evidence_freeze_stored(f->ev, check_id, NULL, f->eb)))
		return 1;
	return 0;
}

/* Writes len bytes to path through a temporary file renamed into place. */
static int write_file(const char *path, const unsigned char *p, size_t len)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	if (!(f = fopen(tmp, "wb")))
		return sw_cli_fail("%s: %s", tmp, strerror(errno));
	if (fwrite(p, 1, len, f) != len || fflush(f) || fsync(fileno(f))) {
		fclose(f);
		unlink(tmp);
		return sw_cli_fail("%s: %s", path, strerror(errno));
	}
	fclose(f);
	if (rename(tmp, path)) {
		unlink(tmp);
		return sw_cli_fail("%s: %s", path, strerror(errno));
	}
	return SW_EXIT_OK;
}

/* Gathers the seqs of what an export covers into s; freezes stored checks
 * that are not frozen yet. */
static enum sw_err gather(struct sw_evidence *ev, struct sw_store *st, const struct opts *o,
			  int64_t site, int64_t incident, struct seqs *s, struct sw_errbuf *eb)
{
	struct freeze_ctx fc = {.ev = ev, .s = s, .eb = eb};
	enum sw_err rc;

	if (incident)
		return sw_evidence_incident_seqs(ev, incident, seq_add, s, eb);

	if (site) {
		if ((rc = sw_store_ev_checks_with_findings(st, site, o->since, 0, freeze_collect, &fc,
							   eb)) ||
		    (rc = fc.rc))
			return rc;
		return sw_store_ev_by_site(st, site, o->since, 0, seq_cb, s, eb);
	}
	for (size_t i = 0; i < o->n_checks; i++) {
		if ((rc = sw_evidence_freeze_stored(ev, o->check_ids[i], NULL, eb)) ||
		    (rc = sw_store_ev_by_check(st, o->check_ids[i], seq_cb, s, eb)))
			return rc;
	}
	return SW_OK;
}

static int cmd_export(struct sw_cli *cli, struct opts *o, int argc, char **argv)
{
	struct sw_evidence *ev = NULL;
	struct seqs s = {0};
	struct sw_errbuf eb;
	unsigned char *pkg = NULL;
	size_t len = 0;
	int64_t site = 0, incident = 0;
	char label[64];
	enum sw_err rc;
	int status;

	if (!o->out)
		return sw_cli_usage("evidence", "export needs -o FILE");
	if (optind < argc - 1 || (optind == argc - 1 && (o->n_checks || o->site)))
		return sw_cli_usage("evidence", "export takes one INCIDENT, --check ID... or --site S");
	if (optind == argc - 1 && (incident = parse_id(argv[optind])) < 0)
		return sw_cli_usage("evidence", "not an incident id: %s", argv[optind]);
	if (!incident && !o->n_checks == !o->site)
		return sw_cli_usage("evidence", "export takes one INCIDENT, --check ID... or --site S");
	if ((status = open_ev(cli, o, 1, &ev)))
		return status;
	sw_errbuf_clear(&eb);
	if (o->site &&
	    (rc = sw_reg_resolve(cli->st, sw_entity_get(SW_ENT_SITE), o->site, &site, &eb)))
		goto fail;
	if ((rc = gather(ev, cli->st, o, site, incident, &s, &eb)))
		goto fail;
	if (s.oom) {
		rc = sw_errf(&eb, SW_ELIMIT, "too many items for one package");
		goto fail;
	}
	if (o->label)
		snprintf(label, sizeof label, "%s", o->label);
	else if (incident)
		snprintf(label, sizeof label, "evidence-incident%lld", (long long)incident);
	else if (site)
		snprintf(label, sizeof label, "evidence-site%lld", (long long)site);
	else
		snprintf(label, sizeof label, "evidence-check%lld", (long long)o->check_ids[0]);
	if ((rc = sw_evidence_export(ev, s.v, s.n, label, &pkg, &len, &eb)))
		goto fail;
	status = write_file(o->out, pkg, len);
	if (!status && o->json)
		status = sw_cli_print_json(json_pack("{s:s, s:I, s:I}", "file", o->out, "items",
						     (json_int_t)s.n, "bytes", (json_int_t)len));
	else if (!status)
		printf("%s: %zu items, %zu bytes\n", o->out, s.n, len);
	free(pkg);
	free(s.v);
	sw_evidence_free(ev);
	return status;
fail:
	free(s.v);
	sw_evidence_free(ev);
	return sw_cli_fail_eb(rc, &eb);
}

struct report {
	json_t *items, *bad;
	int json;
};

static void report_problem(void *arg, const char *where, const char *what)
{
	struct report *r = arg;

	json_array_append_new(r->bad, json_pack("{s:s, s:s}", "member", where, "problem", what));
	if (!r->json)
		printf("BAD  %s: %s\n", where, what);
}

static void report_item(void *arg, const struct sw_ev_pkg_item *it)
{
	struct report *r = arg;

	json_array_append_new(r->items, json_pack("{s:s, s:I, s:b}", "path", it->path, "seq",
						  (json_int_t)it->seq, "ok", it->ok));
	if (!r->json && it->ok)
		printf("ok   %s\n", it->path);
}

static int cmd_verify(const struct opts *o, int argc, char **argv)
{
	struct report r = {json_array(), json_array(), o->json};
	struct sw_errbuf eb;
	char *data = NULL;
	size_t len = 0;
	enum sw_err rc;
	int status;

	if (optind != argc - 1)
		return sw_cli_usage("evidence", "verify takes one package FILE");
	if ((status = sw_cli_read_file(argv[optind], SW_EV_PACKAGE_MAX, &data, &len)))
		return status;
	sw_errbuf_clear(&eb);
	rc = sw_evidence_verify_package(data, len, report_problem, &r, report_item, &eb);
	free(data);
	if (rc && rc != SW_EINVAL) {
		json_decref(r.items);
		json_decref(r.bad);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (o->json)
		sw_cli_print_json(json_pack("{s:b, s:o, s:o}", "ok", rc == SW_OK, "items", r.items,
					    "bad", r.bad));
	else {
		printf("%s\n", rc ? "package does NOT verify" : "package verifies");
		json_decref(r.items);
		json_decref(r.bad);
	}
	return rc ? SW_EXIT_FAIL : SW_EXIT_OK;
}

static void ledger_problem(void *arg, const char *where, const char *what)
{
	struct report *r = arg;

	json_array_append_new(r->bad, json_pack("{s:s, s:s}", "where", where, "problem", what));
	if (!r->json)
		printf("BAD  %s: %s\n", where, what);
}

static int cmd_ledger(struct sw_cli *cli, const struct opts *o, int argc, char **argv)
{
	struct report r = {NULL, json_array(), o->json};
	struct sw_ev_verify_stats vs;
	struct sw_evidence *ev;
	struct sw_errbuf eb;
	enum sw_err rc;
	int status;

	if (optind != argc - 1 || strcmp(argv[optind], "verify")) {
		json_decref(r.bad);
		return sw_cli_usage("evidence", "ledger takes 'verify'");
	}
	if ((status = open_ev(cli, o, 0, &ev))) {
		json_decref(r.bad);
		return status;
	}
	sw_errbuf_clear(&eb);
	rc = sw_evidence_ledger_verify(ev, ledger_problem, &r, &vs, &eb);
	sw_evidence_free(ev);
	if (rc) {
		json_decref(r.bad);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (o->json)
		sw_cli_print_json(json_pack("{s:b, s:I, s:I, s:I, s:o}", "ok", vs.problems == 0,
					    "entries", (json_int_t)vs.entries, "signatures",
					    (json_int_t)vs.signatures, "bytes", (json_int_t)vs.bytes,
					    "bad", r.bad));
	else {
		printf("%lld entries, %lld signatures, %lld item bytes: %s\n",
		       (long long)vs.entries, (long long)vs.signatures, (long long)vs.bytes,
		       vs.problems ? "PROBLEMS FOUND" : "ledger verifies");
		json_decref(r.bad);
	}
	return vs.problems ? SW_EXIT_FAIL : SW_EXIT_OK;
}

/* JSON of one ledger row. */
static json_t *row_json(const struct sw_ev_row *r)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "seq",
			 (json_int_t)r->seq, "algo", r->algo, "created_at",
			 (json_int_t)r->created_at, "kind", r->kind, "site_id",
			 (json_int_t)r->site_id, "check_id", (json_int_t)r->check_id, "size",
			 (json_int_t)r->size, "item_hash", r->item_hash, "media_type",
			 r->media_type, "name", r->name, "prev_hash", r->prev_hash, "entry_hash",
			 r->entry_hash);
}

struct list_ctx {
	json_t *arr;
	int json;
	int64_t check_id;
};

static int list_cb(void *arg, const struct sw_ev_row *r)
{
	struct list_ctx *l = arg;

	if (l->check_id && r->check_id != l->check_id)
		return 0;
	if (l->json)
		json_array_append_new(l->arr, row_json(r));
	else
		printf("%8lld  %-12s site %-6lld check %-8lld %10lld  %s:%.16s…  %s\n",
		       (long long)r->seq, r->kind, (long long)r->site_id, (long long)r->check_id,
		       (long long)r->size, r->algo, r->item_hash, r->name);
	return 0;
}

static int cmd_list(struct sw_cli *cli, const struct opts *o)
{
	struct list_ctx l = {json_array(), o->json, o->n_checks ? o->check_ids[0] : 0};
	struct sw_errbuf eb;
	int64_t site = 0;
	enum sw_err rc;

	if (!sw_cli_store(cli)) {
		json_decref(l.arr);
		return SW_EXIT_FAIL;
	}
	sw_errbuf_clear(&eb);
	if (o->site)
		rc = sw_reg_resolve(cli->st, sw_entity_get(SW_ENT_SITE), o->site, &site, &eb);
	else
		rc = SW_OK;
	if (!rc && l.check_id)
		rc = sw_store_ev_by_check(cli->st, l.check_id, list_cb, &l, &eb);
	else if (!rc)
		rc = sw_store_ev_by_site(cli->st, site, o->since, o->limit ? o->limit : 100, list_cb,
					 &l, &eb);
	if (rc) {
		json_decref(l.arr);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (o->json)
		return sw_cli_print_json(l.arr);
	json_decref(l.arr);
	return SW_EXIT_OK;
}

struct show_ctx {
	json_t *row;
	char algo[8], hash[SW_EV_HEX_LEN];
};

static int show_cb(void *arg, const struct sw_ev_row *r)
{
	struct show_ctx *s = arg;

	s->row = row_json(r);
	snprintf(s->algo, sizeof s->algo, "%s", r->algo);
	snprintf(s->hash, sizeof s->hash, "%s", r->item_hash);
	return 1;
}

static int cmd_show(struct sw_cli *cli, const struct opts *o, int argc, char **argv)
{
	struct show_ctx s = {0};
	struct sw_errbuf eb;
	unsigned char *bytes = NULL;
	size_t len = 0;
	int64_t seq;
	enum sw_err rc;

	if (optind != argc - 1 || (seq = parse_id(argv[optind])) < 0)
		return sw_cli_usage("evidence", "show takes one entry SEQ");
	if (!sw_cli_store(cli))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_ev_get(cli->st, seq, show_cb, &s, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (!o->raw) {
		if (o->json)
			return sw_cli_print_json(s.row);
		{
			const char *k;
			json_t *v;

			json_object_foreach(s.row, k, v) {
				if (json_is_string(v))
					printf("%-11s %s\n", k, json_string_value(v));
				else
					printf("%-11s %lld\n", k, (long long)json_integer_value(v));
			}
		}
		json_decref(s.row);
		return SW_EXIT_OK;
	}
	json_decref(s.row);
	if ((rc = sw_store_ev_blob_get(cli->st, s.algo, s.hash, &bytes, &len, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	fwrite(bytes, 1, len, stdout);
	free(bytes);
	return SW_EXIT_OK;
}

/* Keeps the one result of a live fetch. */
static void fetched(struct sw_fetch_result *r, void *arg)
{
	*(struct sw_fetch_result **)arg = r;
}

/* Fetches the site's page (or o->url) now and freezes the exchange. */
static int freeze_live(struct sw_cli *cli, const struct opts *o)
{
	struct sw_fetch_result *r = NULL;
	struct sw_fetcher *f = NULL;
	struct sw_fetch_opts fo;
	struct sw_evidence *ev;
	struct sw_errbuf eb;
	struct sw_rec rec;
	char url[2048] = "";
	int64_t site = 0;
	size_t n = 0;
	enum sw_err rc;
	int status;

	if ((status = open_ev(cli, o, 1, &ev)))
		return status;
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_resolve(cli->st, sw_entity_get(SW_ENT_SITE), o->site, &site, &eb)) ||
	    (rc = sw_store_get(cli->st, sw_entity_get(SW_ENT_SITE), site, &rec, &eb)))
		goto out;
	snprintf(url, sizeof url, "%s",
		 o->url ? o->url : sw_rec_get(&rec, sw_field_index(SW_ENT_SITE, "url")));
	sw_rec_cleanup(&rec);
	sw_fetch_opts_init(&fo);
	((struct opts *)o)->resolve[o->n_resolve] = NULL;
	fo.resolve = o->n_resolve ? o->resolve : NULL;
	fo.ca_file = o->ca_file;
	if ((rc = sw_fetcher_new(&fo, &f, &eb)) || (rc = sw_fetcher_add(f, url, NULL)) ||
	    (rc = sw_fetcher_run(f, fetched, &r, &eb)))
		goto out;
	if (!r) {
		rc = sw_errf(&eb, SW_EIO, "%s: no result", url);
		goto out;
	}
	rc = sw_evidence_freeze_check(ev, site, 0, r, NULL, 0, &n, &eb);
out:
	sw_fetch_result_free(r);
	sw_fetcher_free(f);
	sw_evidence_free(ev);
	if (rc)
		return sw_cli_fail_eb(rc, &eb);
	if (o->json)
		return sw_cli_print_json(json_pack("{s:I, s:s}", "items", (json_int_t)n, "url", url));
	printf("%zu items frozen from %s\n", n, url);
	return SW_EXIT_OK;
}

static int cmd_freeze(struct sw_cli *cli, const struct opts *o)
{
	struct sw_evidence *ev;
	struct sw_errbuf eb;
	size_t n = 0, total = 0;
	enum sw_err rc = SW_OK;
	int status;

	if (o->site && !o->n_checks)
		return freeze_live(cli, o);
	if (!o->n_checks || o->site)
		return sw_cli_usage("evidence", "freeze takes --check ID... or --site S");
	if ((status = open_ev(cli, o, 1, &ev)))
		return status;
	sw_errbuf_clear(&eb);
	for (size_t i = 0; i < o->n_checks && !rc; i++) {
		rc = sw_evidence_freeze_stored(ev, o->check_ids[i], &n, &eb);
		total += n;
	}
	sw_evidence_free(ev);
	if (rc)
		return sw_cli_fail_eb(rc, &eb);
	if (o->json)
		return sw_cli_print_json(json_pack("{s:I}", "items", (json_int_t)total));
	printf("%zu items frozen\n", total);
	return SW_EXIT_OK;
}

static int cmd_add(struct sw_cli *cli, const struct opts *o, int argc, char **argv)
{
	struct sw_ev_item it = {.kind = "file", .name = o->name, .media_type = o->type};
	struct sw_evidence *ev = NULL;
	struct sw_errbuf eb;
	char *data = NULL;
	size_t len = 0;
	int64_t seq = 0;
	enum sw_err rc;
	int status;

	if (optind != argc - 1 || !o->site || !o->name)
		return sw_cli_usage("evidence", "add takes --site S --name N [--type MEDIA] FILE");
	if ((status = sw_cli_read_file(argv[optind], SW_EV_ITEM_MAX, &data, &len)))
		return status;
	if ((status = open_ev(cli, o, 1, &ev))) {
		free(data);
		return status;
	}
	sw_errbuf_clear(&eb);
	it.bytes = data;
	it.len = len;
	it.check_id = o->n_checks ? o->check_ids[0] : 0;
	if (!(rc = sw_reg_resolve(cli->st, sw_entity_get(SW_ENT_SITE), o->site, &it.site_id, &eb)))
		rc = sw_evidence_add(ev, &it, 1, &seq, &eb);
	free(data);
	sw_evidence_free(ev);
	if (rc)
		return sw_cli_fail_eb(rc, &eb);
	if (o->json)
		return sw_cli_print_json(json_pack("{s:I}", "seq", (json_int_t)seq));
	printf("entry %lld\n", (long long)seq);
	return SW_EXIT_OK;
}

static int cmd_sign_or_key(struct sw_cli *cli, const struct opts *o, int sign)
{
	struct sw_evidence *ev;
	struct sw_errbuf eb;
	int64_t seq = 0;
	enum sw_err rc = SW_OK;
	size_t plen;
	int status;

	if ((status = open_ev(cli, o, 1, &ev)))
		return status;
	sw_errbuf_clear(&eb);
	if (sign)
		rc = sw_evidence_sign_head(ev, 1, &seq, &eb);
	else
		fputs(sw_ev_key_pub_pem(sw_evidence_key(ev), &plen), stdout);
	sw_evidence_free(ev);
	if (rc)
		return sw_cli_fail_eb(rc, &eb);
	if (sign && o->json)
		return sw_cli_print_json(json_pack("{s:I}", "signed_seq", (json_int_t)seq));
	if (sign && seq)
		printf("signed the head at entry %lld\n", (long long)seq);
	else if (sign)
		printf("the ledger is empty\n");
	return SW_EXIT_OK;
}

int sw_cmd_evidence(struct sw_cli *cli, int argc, char **argv)
{
	struct opts o = {.hash = SW_EV_SM3, .sig = SW_EV_SM2};
	const char *verb = argc > 1 ? argv[1] : "";
	int status;

	if (!strcmp(verb, "--help") || !strcmp(verb, "help"))
		return help(stdout);
	argc--, argv++;
	if ((status = parse(argc, argv, &o)) || !strcmp(verb, ""))
		return status ? status : help(stderr);
	if (!strcmp(verb, "export"))
		return cmd_export(cli, &o, argc, argv);
	if (!strcmp(verb, "verify"))
		return cmd_verify(&o, argc, argv);
	if (!strcmp(verb, "ledger"))
		return cmd_ledger(cli, &o, argc, argv);
	if (!strcmp(verb, "list"))
		return cmd_list(cli, &o);
	if (!strcmp(verb, "show"))
		return cmd_show(cli, &o, argc, argv);
	if (!strcmp(verb, "freeze"))
		return cmd_freeze(cli, &o);
	if (!strcmp(verb, "add"))
		return cmd_add(cli, &o, argc, argv);
	if (!strcmp(verb, "sign") || !strcmp(verb, "pubkey"))
		return cmd_sign_or_key(cli, &o, !strcmp(verb, "sign"));
	return sw_cli_usage("evidence", "unknown command '%s'", verb);
}
