/*
 * password.c - see password.h.
 */
#include "server/password.h"

#include <argon2.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#define T_COST 2
#define M_COST 19456
#define LANES 1

enum sw_err sw_password_check(const char *pw, struct sw_errbuf *eb)
{
	size_t n = pw ? strlen(pw) : 0;

	if (n < SW_PW_MIN)
		return sw_errf_field(eb, SW_EINVAL, "password",
				     "a password needs at least %d characters", SW_PW_MIN);
	if (n > SW_PW_MAX)
		return sw_errf_field(eb, SW_EINVAL, "password",
				     "a password has at most %d bytes", SW_PW_MAX);
	return SW_OK;
}

enum sw_err sw_password_hash(const char *pw, char *out, size_t n, struct sw_errbuf *eb)
{
	unsigned char salt[16];
	size_t got = 0;
	int r;

	while (got < sizeof salt) {
		ssize_t k = getrandom(salt + got, sizeof salt - got, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return sw_errf(eb, SW_EIO, "getrandom: %s", strerror(errno));
		got += (size_t)k;
	}
	r = argon2id_hash_encoded(T_COST, M_COST, LANES, pw, strlen(pw), salt, sizeof salt, 32,
				  out, n);
	if (r != ARGON2_OK)
		return sw_errf(eb, SW_EIO, "argon2: %s", argon2_error_message(r));
	return SW_OK;
}

int sw_password_verify(const char *encoded, const char *pw)
{
	if (!encoded || !pw || strncmp(encoded, "$argon2id$", 10))
		return 0;
	return argon2id_verify(encoded, pw, strlen(pw)) == ARGON2_OK;
}

void sw_password_burn(const char *pw)
{
	static const unsigned char salt[16] = "sitewarden-burn";
	char out[128];

	argon2id_hash_encoded(T_COST, M_COST, LANES, pw ? pw : "", pw ? strlen(pw) : 0, salt,
			      sizeof salt, 32, out, sizeof out);
}
