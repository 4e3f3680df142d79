/*
 * server_routes.c - the route tables the server walks, in order.  One line
 * per table; a module's table is listed here once the module exists (an
 * unlisted table is not served and not checked against the OpenAPI
 * document).
 */
#include "server/server_int.h"

const struct sw_route *const sw_server_tables[] = {
	sw_api_routes_meta,
	sw_api_routes_auth,
	sw_api_routes_agent,
	sw_api_routes_register,
	sw_api_routes_monitor,
	sw_api_routes_evidence,
	sw_api_routes_alert,
	sw_api_routes_compliance,
	NULL,
};
