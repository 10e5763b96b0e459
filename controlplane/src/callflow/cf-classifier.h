/* Number classifiers (KAZOO's names) for call_restriction and resource classifiers.
 * Return convention: a classifier name (static string), never NULL.
 */
#ifndef BUGLE_CF_CLASSIFIER_H
#define BUGLE_CF_CLASSIFIER_H

#include <jansson.h>
#include <stdbool.h>

/* "emergency", "tollfree_us", "toll_us", "caribbean", "did_us", "international", "unknown"
 * for a number normalised by cf_number_normalize(). */
const char *cf_classify(const char *normalized);

/* Whether call_restriction[classifier].action is "deny" in the first of the documents (device,
 * then user, then account; any may be NULL) that does not say "inherit". */
bool cf_restricted(const char *classifier, const json_t *device, const json_t *user,
		   const json_t *account);

#endif
