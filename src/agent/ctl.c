/*
 * ctl.c - the control socket (ctl.h).
 */
#include "agent/ctl.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Fills a socket address for STORE/agent.sock; -1 when the path is too long. */
static int sock_addr(const char *store, struct sockaddr_un *a)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	return snprintf(a->sun_path, sizeof a->sun_path, "%s/agent.sock", store) >=
			       (int)sizeof a->sun_path
		       ? -1
		       : 0;
}

int ag_ctl_listen(const char *store, struct sw_errbuf *eb)
{
	struct sockaddr_un a;
	int fd;

	if (sock_addr(store, &a))
		return sw_errf(eb, SW_EINVAL, "store path too long for a socket: %s", store), -1;
	unlink(a.sun_path); /* we hold the store lock: any socket there is stale */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 8)) {
		sw_errf(eb, SW_EIO, "cannot listen on %s: %s", a.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	chmod(a.sun_path, 0600);
	return fd;
}

int ag_ctl_read(int fd, char *line, size_t n)
{
	size_t got = 0;
	struct pollfd p = {fd, POLLIN, 0};

	while (got + 1 < n) {
		ssize_t r;
		if (poll(&p, 1, 2000) <= 0)
			return -1;
		r = read(fd, line + got, n - 1 - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
		line[got] = '\0';
		if (strchr(line, '\n')) {
			*strchr(line, '\n') = '\0';
			return 0;
		}
	}
	return -1;
}

enum sw_err ag_ctl_call(const char *store, const char *req, char **reply, int timeout_s)
{
	struct sockaddr_un a;
	struct pollfd p;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd;

	*reply = NULL;
	if (sock_addr(store, &a))
		return SW_EINVAL;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return SW_EIO;
	if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
		close(fd);
		return SW_ENOTFOUND;
	}
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req) || write(fd, "\n", 1) != 1) {
		close(fd);
		return SW_EIO;
	}
	p.fd = fd;
	p.events = POLLIN;
	for (;;) {
		ssize_t r;
		if (poll(&p, 1, timeout_s * 1000) <= 0)
			break;
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (!buf)
		return SW_EIO;
	buf[len] = '\0';
	*reply = buf;
	return SW_OK;
}
