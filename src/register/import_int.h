/*
 * import_int.h - state shared by the importer's header and row halves
 * (internal to src/register/import*.c).
 */
#ifndef SW_REGISTER_IMPORT_INT_H
#define SW_REGISTER_IMPORT_INT_H

#include "core/strmap.h"
#include "io/csv.h"
#include "model/entity.h"
#include "register/import.h"

/* What a column of the file feeds. */
enum sw__col_target {
	SW_COL_IGNORE,    /* a serial-number column or an empty header */
	SW_COL_MAIN,      /* a field of the imported entity */
	SW_COL_UNIT,      /* sites: a field of the site's unit */
	SW_COL_UNIT_DEPT, /* sites: the unit's department, by name (created if new) */
	SW_COL_GROUP,     /* sites: the group, by name (created if new) */
	SW_COL_PNAME,     /* sites: a responsible person's name, phone, e-mail */
	SW_COL_PPHONE,
	SW_COL_PEMAIL,
	SW_COL_SITES,     /* persons: sites the person is responsible for */
};

struct sw__col {
	enum sw__col_target t;
	int field; /* index in the target entity's fields */
	int role;  /* index in sw_person_roles for person columns */
	char *header; /* owned copy of the header text */
};

struct sw__imp {
	struct sw_store *st;
	enum sw_import_kind kind;
	const struct sw_entity *ent;  /* the imported entity */
	struct sw__col cols[SW_CSV_FIELDS_MAX];
	size_t ncols;
	/* Columns feeding the imported entity and the unit, in field order
	 * (sw_reg_apply wants fields applied in table order). */
	int main_cols[SW_CSV_FIELDS_MAX], unit_cols[SW_CSV_FIELDS_MAX];
	size_t nmain, nunit;
	/* What the register holds or this import created, loaded once at the
	 * start so rows need no look-up queries: units by "code:<credit code>"
	 * and "name:<name>" (-1: several units have that name), departments by
	 * "name:<name>", groups by name, persons by unit|role|name|phone. */
	struct sw_strmap units, groups, depts, persons;
	struct sw_strmap verified; /* "code:<code>|<name>" pairs found consistent */
	struct sw_import_stats *stats;
	sw_import_err_fn err_fn;
	void *arg;
	size_t row, line;
	int row_bad;
	int xlsx; /* rows and cells are named as the spreadsheet names them */
};

/* Reports an error of the current row in column c (-1: the whole row). */
void sw__imp_err(struct sw__imp *imp, int c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Maps the header record to imp->cols, deciding imp->kind when AUTO.
 * Returns SW_EINVAL after reporting problems (row 0). */
enum sw_err sw__imp_header(struct sw__imp *imp, const char **fields, size_t n);

/* Maps the header, loads what the register holds and orders the columns:
 * everything before the first data row. */
enum sw_err sw__imp_start(struct sw__imp *imp, const char **fields, size_t n,
			  struct sw_errbuf *eb);

/* Imports one data row (imp->row and imp->line already set); blank rows
 * are skipped.  Returns only failures of the store (rejections go to the
 * report). */
enum sw_err sw__imp_row(struct sw__imp *imp, const char **v, size_t n, struct sw_errbuf *eb);

/* Reads an XLSX workbook's rows into the importer (import_xlsx.c). */
enum sw_err sw__imp_xlsx(struct sw__imp *imp, const char *data, size_t len, const char *sheet,
			 struct sw_errbuf *eb);

#endif
