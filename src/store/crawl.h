/*
 * crawl.h - what the monitoring engine remembers per site beyond its
 * schedule (migration 0009): when the exposure path probe last ran.
 */
#ifndef SW_STORE_CRAWL_H
#define SW_STORE_CRAWL_H

#include <stdint.h>

#include "store/store.h"

/* When the exposure probe last ran for site_id, in *at; 0 when never. */
enum sw_err sw_store_exposure_last(struct sw_store *st, int64_t site_id, int64_t *at,
				   struct sw_errbuf *eb);

/* Records that the exposure probe ran for site_id at `at`. */
enum sw_err sw_store_exposure_mark(struct sw_store *st, int64_t site_id, int64_t at,
				   struct sw_errbuf *eb);

#endif
