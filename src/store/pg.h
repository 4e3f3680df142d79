/*
 * pg.h - what the PostgreSQL backend offers beyond struct sw_store_ops
 * (internal to the store).
 */
#ifndef SW_STORE_PG_H
#define SW_STORE_PG_H

/*
 * Pipelines the rest of the current transaction on the connection db
 * (a PostgreSQL backend handle): statements that return no columns are
 * sent without waiting for their answers, which are read at the next
 * statement that returns rows, the next changes() or the end of the
 * transaction, in one round trip.  A failure of a pipelined statement is
 * reported there instead (the transaction is then lost, as it would be
 * anyway), so only callers that want all or nothing pipeline: the batches
 * of results (lease.h).  Ends with the transaction.
 */
void sw__pg_pipeline(void *db);

#endif
