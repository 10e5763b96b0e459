/* buglectl account create: the first (superduper admin) account and its admin user, written
 * straight into PostgreSQL as KAZOO's `sup crossbar_maintenance create_account` does, for the
 * moment before any API token can exist. */
#include <getopt.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api-credentials.h"
#include "buglectl.h"

static void hex_id(char *out, size_t bytes)
{
	unsigned char raw[32];
	randombytes_buf(raw, bytes);
	sodium_bin2hex(out, 2 * bytes + 1, raw, bytes);
}

/* Both rows in one transaction: an account without its admin would be unusable. */
static int create(const struct ctl_options *opt, PGconn *db, const char *name,
		  const char *realm, const char *user, const char *password)
{
	char acct[33], user_id[33], api_key[65];
	hex_id(acct, 16);
	hex_id(user_id, 16);
	hex_id(api_key, 32);
	json_t *adoc = json_pack("{s:s, s:s, s:b, s:b}", "name", name, "realm", realm, "enabled", 1,
				 "superduper_admin", 1);
	json_t *udoc = json_pack("{s:s, s:s, s:s, s:s, s:b}", "username", user, "first_name",
				 "Account", "last_name", "Admin", "priv_level", "admin", "enabled", 1);
	if (api_user_set_password(udoc, user, password) < 0) {
		json_decref(adoc);
		json_decref(udoc);
		return ctl_error(opt, CTL_USAGE, "user name or password too long");
	}
	json_object_set_new(adoc, "pvt_superduper_admin", json_true());
	char *atext = json_dumps(adoc, JSON_COMPACT), *utext = json_dumps(udoc, JSON_COMPACT);
	json_decref(adoc);
	json_decref(udoc);
	const char *p1[] = { acct, name, realm, api_key, atext };
	const char *p2[] = { acct, user_id, utext };
	PQclear(PQexec(db, "BEGIN"));
	PGresult *r1 = PQexecParams(db,
				    "SELECT bugle_account_create($1, NULL, $2, $3, $4, $5::jsonb)",
				    5, NULL, p1, NULL, NULL, 0);
	int ok = PQresultStatus(r1) == PGRES_TUPLES_OK;
	PGresult *r2 = ok ? PQexecParams(db,
					 "INSERT INTO documents (account_id, id, type, data) "
					 "VALUES ($1, $2, 'user', $3::jsonb)",
					 3, NULL, p2, NULL, NULL, 0)
			  : NULL;
	ok = ok && PQresultStatus(r2) == PGRES_COMMAND_OK;
	char why[512];
	snprintf(why, sizeof(why), "%s", ok ? "" : PQerrorMessage(db));
	PQclear(r1);
	PQclear(r2);
	PQclear(PQexec(db, ok ? "COMMIT" : "ROLLBACK"));
	free(atext);
	free(utext);
	if (!ok)
		return ctl_error(opt, CTL_FAILED, "account not created: %s", why);
	ctl_print(opt, json_pack("{s:s, s:s, s:s, s:s, s:s}", "account_id", acct, "name", name,
				 "realm", realm, "owner_id", user_id, "api_key", api_key));
	return CTL_OK;
}

static int account_create(const struct ctl_options *opt, int argc, char **argv)
{
	const char *name = NULL, *realm = NULL, *user = NULL, *password = NULL;
	const char *conninfo = getenv("BUGLE_DB");
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },   { "realm", required_argument, NULL, 'r' },
		{ "user", required_argument, NULL, 'u' },   { "password", required_argument, NULL, 'p' },
		{ "db", required_argument, NULL, 'd' },	    { NULL, 0, NULL, 0 },
	};
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc + 1, argv - 1, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'r': realm = optarg; break;
		case 'u': user = optarg; break;
		case 'p': password = optarg; break;
		case 'd': conninfo = optarg; break;
		default: return ctl_error(opt, CTL_USAGE, "see: buglectl account create --help");
		}
	}
	if (!name || !realm || !user || !password)
		return ctl_error(opt, CTL_USAGE, "--name, --realm, --user and --password are required");
	if (!conninfo)
		return ctl_error(opt, CTL_USAGE, "give --db CONNINFO or set BUGLE_DB");
	if (sodium_init() < 0)
		return ctl_error(opt, CTL_FAILED, "libsodium did not initialise");
	PGconn *db = PQconnectdb(conninfo);
	if (PQstatus(db) != CONNECTION_OK) {
		int rc = ctl_error(opt, CTL_UNREACHABLE, "PostgreSQL: %s", PQerrorMessage(db));
		PQfinish(db);
		return rc;
	}
	int rc = create(opt, db, name, realm, user, password);
	PQfinish(db);
	return rc;
}

const struct ctl_command ctl_account_commands[] = {
	{ "account", "create", "--name N --realm R --user U --password P [--db CONNINFO]",
	  "create the first (superduper admin) account in PostgreSQL", account_create },
	{ 0 },
};
