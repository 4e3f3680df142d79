/*
 * send.h - the senders of each channel kind (module-internal): each
 * delivers message m over channel c at now and returns SW_OK when the
 * receiver accepted it, SW_EIO with the reason in eb when not.
 */
#ifndef SW_NOTIFY_SEND_H
#define SW_NOTIFY_SEND_H

#include "notify/notify.h"

enum sw_err sw__notify_webhook(const struct sw_channel *c, const struct sw_notify_msg *m,
			       int64_t now, struct sw_errbuf *eb);
/* DingTalk (markdown, signed when the channel has a secret) and WeCom. */
enum sw_err sw__notify_robot(const struct sw_channel *c, const struct sw_notify_msg *m,
			     int64_t now, struct sw_errbuf *eb);
enum sw_err sw__notify_smtp(const struct sw_channel *c, const struct sw_notify_msg *m,
			    int64_t now, struct sw_errbuf *eb);
/* Mail with file a attached (multipart/mixed; a NULL: plain text). */
enum sw_err sw__notify_smtp_attach(const struct sw_channel *c, const struct sw_notify_msg *m,
				   const struct sw_notify_attach *a, int64_t now,
				   struct sw_errbuf *eb);
enum sw_err sw__notify_syslog(const struct sw_channel *c, const struct sw_notify_msg *m,
			      int64_t now, struct sw_errbuf *eb);

#endif
