/*
 * trojan_js.h - script tokens and events of the trojan analyzer, between
 * trojan_js.c (finding them) and trojan_jsrule.c (judging them).
 */
#ifndef SW_ANALYZE_TROJAN_JS_H
#define SW_ANALYZE_TROJAN_JS_H

#include "analyze/trojan_int.h"

/* Tokens of the Vectorscan pass. */
enum sw__tj_tok {
	SW_TJ_T_EVAL = 1,      /* eval(            a sink */
	SW_TJ_T_FUNCTION,      /* Function(        a sink */
	SW_TJ_T_UNESCAPE,      /* unescape(        a decoder */
	SW_TJ_T_FROMCHAR,      /* fromCharCode(    a decoder */
	SW_TJ_T_ATOB,          /* atob(            a decoder */
	SW_TJ_T_PACKER,        /* eval(function(p,a,c,k,e,r) */
	SW_TJ_T_WRITE,         /* document.write(  */
	SW_TJ_T_HTML,          /* .innerHTML =, insertAdjacentHTML(, jQuery .append( ... */
	SW_TJ_T_CREATE_SCRIPT, /* createElement('script') */
	SW_TJ_T_CREATE_FRAME,  /* createElement('iframe') */
	SW_TJ_T_REFERRER,      /* referrer */
	SW_TJ_T_ENGINE,        /* baidu, sogou, so.com, sm.cn, bing, google ... */
	SW_TJ_T_UA,            /* userAgent, appVersion */
	SW_TJ_T_MOBILE,        /* android, iphone, mobile ... */
	SW_TJ_T_LOCATION,      /* location */
	SW_TJ_T_OPEN,          /* window.open( */
	SW_TJ_T_MINER,         /* coinhive, cryptonight ... */
	SW_TJ_T__COUNT
};

/* One token hit: where it ends in the scan buffer. */
struct sw__tj_hit {
	uint32_t end;
	uint16_t tok;
};

/* Event kinds. */
enum { SW_TJ_EV_NAV = 1, SW_TJ_EV_OPEN, SW_TJ_EV_WRITE, SW_TJ_EV_CREATE };

/* sw__tj_ev.where: enum sw__tj_where, or this when no literal gave a target. */
#define SW_TJ_EV_COMPUTED 9

/* A navigation or an injected tag found in a script. */
struct sw__tj_ev {
	uint32_t pos;        /* offset in the segment */
	uint8_t kind;        /* SW_TJ_EV_* */
	uint8_t where;       /* enum sw__tj_where or SW_TJ_EV_COMPUTED */
	uint8_t tag;         /* enum sw_js_tag for WRITE and CREATE */
	char target[SW_TJ_URL_CAP];
};

/*
 * Turns the hits h[0..nh) of the segment s[0..n) (which starts at boff in
 * the scan buffer) into at most cap events in ev.  Returns their number.
 */
size_t sw__tj_js_events(const struct sw__tj_run *r, const char *s, size_t n,
			const struct sw__tj_hit *h, size_t nh, size_t boff,
			struct sw__tj_ev *ev, size_t cap);

/* Judges one segment given its hits, and reports (trojan_jsrule.c). */
enum sw_err sw__tj_js_segment(struct sw__tj_run *r, const struct sw__tj_seg *g,
			      const struct sw__tj_hit *h, size_t nh);

#endif
