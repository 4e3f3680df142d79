/*
 * cmd_migrate.c - `sitewarden migrate --from SRC --to DST`: copies a whole
 * store to another, usually from the SQLite file a deployment started
 * with to the PostgreSQL database it grows into.
 *
 * The copy goes through the store interface only, so it knows nothing of
 * either dialect: every entity in id order with its ids and timestamps,
 * then the side tables, then everything else (history, users, alerts,
 * compliance, evidence: store/copy.h) row by row as it is.  All of it is one transaction on the target with
 * references checked at commit (a department may name a parent with a
 * larger id), and the row counts of both sides must agree before it
 * commits.  The source is read inside a transaction too, so a copy taken
 * while the old installation still runs is a consistent snapshot.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/copy.h"

/* The tables a copy counts: the entities, then the side tables. */
enum { T_DOMAINS = SW_ENT__COUNT, T_LINKS, T_POLICY, T__COUNT };

static const char *const side_names[] = {"site_domains", "site_persons", "policy_settings"};

/* State shared by the walk callbacks: the store they act on (where rows
 * go, or where region_known looks), the first error, a row count. */
struct copy {
	struct sw_store *st;
	enum sw_err rc;
	struct sw_errbuf *eb;
	int64_t n;
	int64_t *ids; /* region_known: target regions to delete (owned) */
};

static int migrate_help(FILE *f)
{
	fprintf(f, "usage: sitewarden migrate --from SOURCE --to TARGET\n"
		   "\nCopies the whole store from SOURCE to TARGET, each a database file or a\n"
		   "postgresql:// address: the register (every record with its id and\n"
		   "timestamps, host names, responsibility links, policies) and everything\n"
		   "else as it is: monitoring history, snapshots, baselines, users, sessions,\n"
		   "audit log, agents and their events, alerts, incidents, notifications,\n"
		   "compliance records and the evidence ledger (its chain verifies on the\n"
		   "copy with the same key directory).  Typically\n"
		   "  sitewarden migrate --from var/sitewarden.db --to postgresql://sw@db/sitewarden\n"
		   "TARGET must be empty (a new database; its tables are created).  The copy\n"
		   "is one transaction: it commits only when every table has as many rows on\n"
		   "both sides, and prints the counts.  --db and SITEWARDEN_DB are ignored.\n");
	return SW_EXIT_OK;
}

static const char *table_name(int t)
{
	return t < SW_ENT__COUNT ? sw_entity_get(t)->table : side_names[t - SW_ENT__COUNT];
}

static int count_domain(void *arg, int64_t site_id, const char *domain)
{
	(void)site_id, (void)domain;
	((struct copy *)arg)->n++;
	return 0;
}

static int count_link(void *arg, int64_t site_id, int64_t person_id, const char *role)
{
	(void)site_id, (void)person_id, (void)role;
	((struct copy *)arg)->n++;
	return 0;
}

static int count_policy(void *arg, const struct sw_policy_row *row)
{
	(void)row;
	((struct copy *)arg)->n++;
	return 0;
}

/* Counts the rows of every table of st into n[]. */
static enum sw_err count_all(struct sw_store *st, int64_t n[T__COUNT], struct sw_errbuf *eb)
{
	struct copy c = {.eb = eb};
	enum sw_err rc = SW_OK;

	for (int e = 0; e < SW_ENT__COUNT && !rc; e++)
		rc = sw_store_count(st, sw_entity_get(e), NULL, &n[e], eb);
	if (!rc && !(rc = sw_store_site_domains_all(st, count_domain, &c, eb)))
		n[T_DOMAINS] = c.n;
	c.n = 0;
	if (!rc && !(rc = sw_store_site_persons(st, 0, 0, count_link, &c, eb)))
		n[T_LINKS] = c.n;
	c.n = 0;
	if (!rc && !(rc = sw_store_policy_all(st, count_policy, &c, eb)))
		n[T_POLICY] = c.n;
	return rc;
}

/* Checks that the source (c->st) has a region with the code of the
 * target's region rec, and remembers rec's id for deletion. */
static int region_known(void *arg, const struct sw_rec *rec)
{
	struct copy *c = arg;
	int code = sw_field_index(SW_ENT_REGION, "code");
	int64_t id, *ids;

	if (sw_store_find(c->st, rec->ent, code, sw_rec_get(rec, code), &id, NULL, NULL)) {
		c->rc = sw_errf(c->eb, SW_EEXIST, "the target is not empty: it has region %s",
				sw_rec_get(rec, code));
		return 1;
	}
	if (!(ids = realloc(c->ids, (size_t)(c->n + 1) * sizeof *ids))) {
		c->rc = SW_ENOMEM;
		return 1;
	}
	c->ids = ids;
	c->ids[c->n++] = rec->id;
	return 0;
}

/*
 * Checks that dst holds nothing but regions the source also has (every
 * new store is seeded with the provinces) and deletes those, inside the
 * caller's transaction, so the copy brings them back with the source's
 * ids.  SW_EEXIST when dst holds anything else.
 */
static enum sw_err empty_target(struct sw_store *src, struct sw_store *dst, struct sw_errbuf *eb)
{
	const struct sw_entity *regions = sw_entity_get(SW_ENT_REGION);
	int64_t n[T__COUNT] = {0};
	struct copy c = {.st = src, .eb = eb};
	enum sw_err rc;

	if ((rc = count_all(dst, n, eb)))
		return rc;
	for (int t = 0; t < T__COUNT; t++)
		if (t != SW_ENT_REGION && n[t] > 0)
			return sw_errf(eb, SW_EEXIST, "the target is not empty: %s has %" PRId64 " row(s)",
				       table_name(t), n[t]);
	/* Deleted after the walk: no writes to a table while it is read. */
	if (!(rc = sw_store_list(dst, regions, NULL, region_known, &c, eb)))
		rc = c.rc;
	for (int64_t i = 0; i < c.n && !rc; i++)
		rc = sw_store_delete(dst, regions, c.ids[i], eb);
	free(c.ids);
	return rc;
}

static int copy_rec(void *arg, const struct sw_rec *rec)
{
	struct copy *c = arg;

	c->rc = sw_store_insert_copy(c->st, rec, c->eb);
	return c->rc != SW_OK;
}

static int copy_domain(void *arg, int64_t site_id, const char *domain)
{
	struct copy *c = arg;

	c->rc = sw_store_site_domain_add(c->st, site_id, domain, c->eb);
	return c->rc != SW_OK;
}

static int copy_link(void *arg, int64_t site_id, int64_t person_id, const char *role)
{
	struct copy *c = arg;

	c->rc = sw_store_site_person_link(c->st, site_id, person_id, role, c->eb);
	return c->rc != SW_OK;
}

static int copy_policy(void *arg, const struct sw_policy_row *row)
{
	struct copy *c = arg;

	c->rc = sw_store_policy_put(c->st, row, c->eb);
	return c->rc != SW_OK;
}

/* Copies every table of src into dst, in an order where each row's
 * references usually exist already (entities are numbered that way). */
static enum sw_err copy_all(struct sw_store *src, struct sw_store *dst, struct sw_errbuf *eb)
{
	struct copy c = {.st = dst, .eb = eb};
	enum sw_err rc = SW_OK;

	for (int e = 0; e < SW_ENT__COUNT && !rc && !c.rc; e++)
		rc = sw_store_list(src, sw_entity_get(e), NULL, copy_rec, &c, eb);
	if (!rc && !c.rc)
		rc = sw_store_site_domains_all(src, copy_domain, &c, eb);
	if (!rc && !c.rc)
		rc = sw_store_site_persons(src, 0, 0, copy_link, &c, eb);
	if (!rc && !c.rc)
		rc = sw_store_policy_all(src, copy_policy, &c, eb);
	if (!rc && !c.rc)
		rc = sw_store_sync_ids(dst, eb);
	return rc ? rc : c.rc;
}

/* Prints one table's counts; SW_ESTORE (the first only) when they differ. */
static enum sw_err verify_one(const char *name, int64_t a, int64_t b, enum sw_err rc,
			      struct sw_errbuf *eb)
{
	printf("%-26s %10" PRId64 " %10" PRId64 "%s\n", name, a, b, a == b ? "" : "  MISMATCH");
	if (a != b && !rc)
		rc = sw_errf(eb, SW_ESTORE, "%s: %" PRId64 " row(s) in the source, %" PRId64
			     " in the target; nothing was copied", name, a, b);
	return rc;
}

/* Compares the counts of both sides (the register's, then the rest's),
 * prints them, and returns SW_ESTORE naming the first table that differs. */
static enum sw_err verify(const int64_t a[T__COUNT], const int64_t b[T__COUNT],
			  const struct sw_copy_table *rest, size_t nrest, struct sw_errbuf *eb)
{
	enum sw_err rc = SW_OK;

	printf("%-26s %10s %10s\n", "table", "source", "target");
	for (int t = 0; t < T__COUNT; t++)
		rc = verify_one(table_name(t), a[t], b[t], rc, eb);
	for (size_t i = 0; i < nrest; i++)
		rc = verify_one(rest[i].name, rest[i].src, rest[i].dst, rc, eb);
	return rc;
}

/* The whole copy: a transaction on each side, the target's committed only
 * when the counts agree. */
static enum sw_err migrate(struct sw_store *src, struct sw_store *dst, struct sw_errbuf *eb)
{
	int64_t a[T__COUNT] = {0}, b[T__COUNT] = {0};
	struct sw_copy_table rest[SW_COPY_TABLES_MAX];
	size_t nrest = 0;
	enum sw_err rc;

	if ((rc = sw_store_begin(src, eb)))
		return rc;
	if ((rc = sw_store_begin_bulk(dst, eb))) {
		sw_store_rollback(src);
		return rc;
	}
	if (!(rc = sw_store_defer_refs(dst, eb)) && !(rc = empty_target(src, dst, eb)) &&
	    !(rc = copy_all(src, dst, eb)) && !(rc = sw_store_copy_rest(src, dst, rest, &nrest, eb)) &&
	    !(rc = count_all(src, a, eb)) && !(rc = count_all(dst, b, eb)))
		rc = verify(a, b, rest, nrest, eb);
	sw_store_rollback(src); /* only read */
	if (rc) {
		sw_store_rollback(dst);
		return rc;
	}
	return sw_store_commit(dst, eb);
}

/* Opens the store at `where`, printing the error when it cannot. */
static struct sw_store *open_store(const char *where, const char *what)
{
	struct sw_store *st = NULL;
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if ((rc = sw_store_open(where, &st, &eb))) {
		sw_cli_fail("%s: %s", what, sw_errbuf_empty(&eb) ? sw_strerror(rc) : eb.msg);
		return NULL;
	}
	return st;
}

int sw_cmd_migrate(struct sw_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *from = NULL, *to = NULL;
	struct sw_store *src = NULL, *dst = NULL;
	struct sw_errbuf eb;
	enum sw_err rc;
	int c;

	(void)cli;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'f')
			from = optarg;
		else if (c == 't')
			to = optarg;
		else if (c == 'h')
			return migrate_help(stdout);
		else
			return sw_cli_bad_option("migrate", argv);
	}
	if (optind != argc)
		return sw_cli_usage("migrate", "unexpected argument '%s'", argv[optind]);
	if (!from || !to)
		return sw_cli_usage("migrate", "both --from and --to are needed");
	if (!strcmp(from, to))
		return sw_cli_usage("migrate", "--from and --to name the same database");
	if (!(src = open_store(from, "source")) || !(dst = open_store(to, "target"))) {
		sw_store_close(src);
		return SW_EXIT_FAIL;
	}
	sw_errbuf_clear(&eb);
	rc = migrate(src, dst, &eb);
	if (!rc)
		printf("copied the register and its history from %s to %s\n", sw_store_backend(src),
		       sw_store_backend(dst));
	sw_store_close(dst);
	sw_store_close(src);
	return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
}
