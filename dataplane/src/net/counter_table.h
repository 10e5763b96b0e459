/* The names and help texts of a counter table, generated from the X-macro that declares it:
 * TABLE(X) calls X(name, help) once per counter, in the enum's order.
 * COUNTER_TABLE_LOOKUPS(prefix, TABLE, COUNT) defines prefix_name(id) and prefix_help(id), which
 * return the text or NULL past the table (their prototypes stay in the table's own header). */
#ifndef BUGLE_COUNTER_TABLE_H
#define BUGLE_COUNTER_TABLE_H

#include <stddef.h>

#define COUNTER_TABLE_NAME_(name, help) #name,
#define COUNTER_TABLE_HELP_(name, help) help,

#define COUNTER_TABLE_LOOKUPS(prefix, TABLE, COUNT)                                        \
	static const char *const prefix##_names[COUNT] = { TABLE(COUNTER_TABLE_NAME_) };    \
	static const char *const prefix##_helps[COUNT] = { TABLE(COUNTER_TABLE_HELP_) };    \
	const char *prefix##_name(unsigned id)                                              \
	{                                                                                   \
		return id < (COUNT) ? prefix##_names[id] : NULL;                            \
	}                                                                                   \
	const char *prefix##_help(unsigned id)                                              \
	{                                                                                   \
		return id < (COUNT) ? prefix##_helps[id] : NULL;                            \
	}

#endif
