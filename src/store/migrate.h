/*
 * migrate.h - numbered schema migrations compiled into the binary.
 *
 * src/store/migrations/<dialect>/NNNN_<what>.sql files become these tables
 * (cmake/embed_sql.cmake).  Both dialects carry the same numbers, so a
 * schema version means the same tables whichever backend holds them.
 */
#ifndef SW_STORE_MIGRATE_H
#define SW_STORE_MIGRATE_H

#include <stddef.h>

struct sw_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct sw_migration sw_migrations_sqlite[];
extern const size_t sw_migrations_sqlite_count;
extern const struct sw_migration sw_migrations_pg[];
extern const size_t sw_migrations_pg_count;

#endif
