/* Shared by the callflow tests: an engine over the fake call and fake documents.
 * Return convention: h_run returns the report of the flow it ran (never NULL).
 */
#ifndef BUGLE_TEST_CF_HARNESS_H
#define BUGLE_TEST_CF_HARNESS_H

#include <stdbool.h>

#include "cf-engine.h"
#include "fake-call.h"
#include "fake-docs.h"

#define ACC "acc1"

/* A play node for a flow's JSON: {"module": "play", "data": {"id": id}}. */
#define PLAY(id) "{\"module\": \"play\", \"data\": {\"id\": \"" id "\"}}"

struct harness {
	struct fake_docs d;
	struct fake_call c;
	struct cf_config cfg;
	struct cf_engine *eng;
	struct cf_flow_report rep;
	unsigned ends;
	time_t now;
};

/* Account ACC (timezone America/New_York) and nothing else; cfg at its defaults. */
void h_init(struct harness *h);
/* Creates the engine from h->cfg (after tests changed it). */
void h_engine(struct harness *h);
void h_release(struct harness *h);
/* Routes a call to dialed from a device (auth_id) or, with auth_id NULL, from a carrier. */
const struct cf_flow_report *h_run(struct harness *h, const char *dialed, const char *auth_id);
/* A one-node callflow answering `number`: {"module": module, "data": data, children}. */
void h_callflow(struct harness *h, const char *id, const char *number, const char *flow_json);

/* cmocka set-up: one harness (h_init) seeded with a test file's documents, in *state; with
 * async the documents are answered later, from a queue, as a real store would. */
int h_setup_seeded(void **state, void (*seed)(struct harness *h), bool async);
/* cmocka teardown for h_setup_seeded. */
int h_teardown(void **state);

#endif
