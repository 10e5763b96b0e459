/* Carrier resources for a number: which resources may carry it (rules, flags, classifiers,
 * emergency), in cost order, and their gateways as bridge endpoints. Shared by the
 * `resources` module and call forwards to outside numbers.
 * Return convention: predicates return bool, the rest a count.
 */
#ifndef BUGLE_CF_CARRIER_H
#define BUGLE_CF_CARRIER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "cf-call-t.h"

#define CF_CARRIERS_MAX 32

/* What the call asks of a carrier. */
struct cf_carrier_req {
	const char *number;		/* normalised (cf_number_normalize) */
	const char *classifier;		/* cf_classify(number) */
	const json_t *flags;		/* requested flags (array of strings), may be NULL */
};

/* The usable resources of a list (documents borrowed from it), cheapest first: weight_cost
 * (the classifier's override first, default 50), ties in list order. Returns how many. */
size_t cf_carriers_ordered(const json_t *resources, const struct cf_carrier_req *q,
			   const json_t **out, size_t max);

/* The enabled gateways (with a server) of one resource as CF_EP_GATEWAY endpoints sent `number`
 * (with the gateway's invite_format, prefix and suffix); cid (may be NULL) is presented on
 * them. A gateway whose formatted number does not fit is left out. Returns how many. */
size_t cf_carrier_gateways(const json_t *resource, const char *number,
			   const struct cf_caller_id *cid, struct cf_endpoint *eps, size_t max);

#endif
