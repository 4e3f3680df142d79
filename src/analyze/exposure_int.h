/*
 * exposure_int.h - the exposure analyzer's checks of the HTTP exchange
 * (exposure_http.c), called by its run step in exposure.c.  Internal to
 * src/analyze.
 */
#ifndef SW_ANALYZE_EXPOSURE_INT_H
#define SW_ANALYZE_EXPOSURE_INT_H

#include "analyze/analyze.h"

/*
 * Version banners (Server, X-Powered-By ... with a version number) and
 * missing security headers (CSP, X-Frame-Options, HSTS on HTTPS), when
 * the page came with its headers.  Fails only with SW_ENOMEM.
 */
enum sw_err sw__ex_headers(struct sw_an_ctx *ctx);

/* Mixed content: an https page that loads scripts, frames, styles,
 * images or media over http://.  Fails only with SW_ENOMEM. */
enum sw_err sw__ex_mixed(struct sw_an_ctx *ctx);

#endif
