/*
 * main.c - entry point of `sitewarden-agent`, the anti-tamper guard that
 * runs on each web server host.
 *
 * The guard itself (baseline, fanotify watcher, restore, quarantine) comes
 * with its own issue; until then the binary builds, answers --version and
 * --help, and refuses every other request with a clear message, so that
 * packaging and service files can already be written against it.
 */
#include <stdio.h>
#include <string.h>

#define SW_AGENT_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f, "usage: sitewarden-agent --version | --help\n"
		   "\nThe web-host anti-tamper agent of sitewarden.  This build carries no\n"
		   "guard commands yet.\n");
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("sitewarden-agent %s\n", SW_AGENT_VERSION);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
