/*
 * sw_tarpit.c - a TCP server on 127.0.0.1 that accepts connections and
 * never answers, for the prober's time-out tests (nginx cannot be made to
 * stay silent after accepting).
 *
 * Usage: sw_tarpit [LIFETIME_SECONDS]
 * Binds an ephemeral port, prints it on stdout, then accepts and holds
 * connections (reading and discarding what arrives) until SIGTERM, SIGINT
 * or the lifetime (default 120 s) ends, so a test that forgets it cannot
 * leave it running for long.  Loopback only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 1024

static volatile sig_atomic_t stop;

/* Signal handler: asks the loop to end. */
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Returns a listening socket on 127.0.0.1 with an ephemeral port, printing
 * the port; exits on failure. */
static int listen_loopback(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
		perror("sw_tarpit");
		exit(1);
	}
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	return fd;
}

/* Accepts and holds connections until stopped; returns the exit status. */
int main(int argc, char **argv)
{
	struct pollfd fds[MAX_FDS];
	nfds_t n = 1, i;
	time_t end = time(NULL) + (argc > 1 ? atol(argv[1]) : 120);
	char buf[4096];
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fds[0].fd = listen_loopback();
	fds[0].events = POLLIN;
	while (!stop && time(NULL) < end) {
		if (poll(fds, n, 500) < 0 && errno != EINTR)
			break;
		if ((fds[0].revents & POLLIN) && n < MAX_FDS) {
			int c = accept(fds[0].fd, NULL, NULL);

			if (c >= 0) {
				fds[n].fd = c;
				fds[n].events = POLLIN;
				fds[n++].revents = 0;
			}
		}
		for (i = 1; i < n; i++) {
			if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (read(fds[i].fd, buf, sizeof buf) <= 0) {
				close(fds[i].fd);
				fds[i--] = fds[--n];
			}
		}
	}
	return 0;
}
