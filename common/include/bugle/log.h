/* Logging for both daemons: one line per event to stderr (text or JSON lines) and optionally
 * syslog. Call-related lines carry the Call-ID and account id as fields.
 *
 * The logger is process-wide on purpose: it is configured once at start-up (and on reload) and
 * is safe to call from any thread; each line is written with a single write(2).
 */
#ifndef BUGLE_LOG_H
#define BUGLE_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum bgl_log_level { BGL_LOG_ERR, BGL_LOG_WARN, BGL_LOG_INFO, BGL_LOG_DEBUG };
enum bgl_log_format { BGL_LOG_TEXT, BGL_LOG_JSON };

void bgl_log_setup(const char *ident, enum bgl_log_format format, enum bgl_log_level level,
		   bool use_syslog);
void bgl_log_set_level(enum bgl_log_level level);
bool bgl_log_enabled(enum bgl_log_level level);

/* A line with optional call fields (NULL when not call related). */
void bgl_log_call(enum bgl_log_level level, const char *call_id, const char *account_id,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* For a line of counters ("sip: stack counters: sent=3 received=5"): appends " name=value" at
 * *pos of line (cap bytes) and moves *pos on; once the line is full it stays as it is. */
void bgl_log_counter(char *line, size_t cap, size_t *pos, const char *name,
		     unsigned long long value);

#define bgl_log(level, ...) bgl_log_call((level), NULL, NULL, __VA_ARGS__)
#define BGL_ERR(...) bgl_log(BGL_LOG_ERR, __VA_ARGS__)
#define BGL_WARN(...) bgl_log(BGL_LOG_WARN, __VA_ARGS__)
#define BGL_INFO(...) bgl_log(BGL_LOG_INFO, __VA_ARGS__)
#define BGL_DEBUG(...)                                                                            \
	do {                                                                                       \
		if (bgl_log_enabled(BGL_LOG_DEBUG))                                                \
			bgl_log(BGL_LOG_DEBUG, __VA_ARGS__);                                       \
	} while (0)

#endif
