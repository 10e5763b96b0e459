/* One line per event, written with a single write(2) so lines from threads never interleave. */
#include "bugle/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* Set at start-up and on reload; read by every thread. The level is atomic because reload may
 * change it while workers log; the rest is written before any thread starts. */
static struct {
	const char *ident;
	enum bgl_log_format format;
	_Atomic int level;
	bool use_syslog;
} logger = { .ident = "bugle", .format = BGL_LOG_TEXT, .level = BGL_LOG_INFO };

static const char *const level_names[] = { "error", "warning", "info", "debug" };
static const int syslog_prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

void bgl_log_setup(const char *ident, enum bgl_log_format format, enum bgl_log_level level,
		   bool use_syslog)
{
	logger.ident = ident;
	logger.format = format;
	atomic_store_explicit(&logger.level, (int)level, memory_order_relaxed);
	if (use_syslog && !logger.use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	logger.use_syslog = use_syslog;
}

void bgl_log_set_level(enum bgl_log_level level)
{
	atomic_store_explicit(&logger.level, (int)level, memory_order_relaxed);
}

bool bgl_log_enabled(enum bgl_log_level level)
{
	return (int)level <= atomic_load_explicit(&logger.level, memory_order_relaxed);
}

/* Append src to dst as the inside of a JSON string. */
static size_t json_escape(char *dst, size_t cap, const char *src)
{
	size_t o = 0;
	for (const unsigned char *s = (const unsigned char *)src; *s && o + 7 < cap; s++) {
		switch (*s) {
		case '"': dst[o++] = '\\'; dst[o++] = '"'; break;
		case '\\': dst[o++] = '\\'; dst[o++] = '\\'; break;
		case '\n': dst[o++] = '\\'; dst[o++] = 'n'; break;
		case '\r': dst[o++] = '\\'; dst[o++] = 'r'; break;
		case '\t': dst[o++] = '\\'; dst[o++] = 't'; break;
		default:
			if (*s < 0x20)
				o += (size_t)snprintf(dst + o, cap - o, "\\u%04x", *s);
			else
				dst[o++] = (char)*s;
		}
	}
	dst[o < cap ? o : cap - 1] = '\0';
	return o;
}

static size_t clamp(int n, size_t cap)
{
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

void bgl_log_call(enum bgl_log_level level, const char *call_id, const char *account_id,
		  const char *fmt, ...)
{
	if (!bgl_log_enabled(level))
		return;

	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (logger.use_syslog) {
		if (call_id)
			syslog(syslog_prio[level], "call_id=%s account_id=%s %s", call_id,
			       account_id ? account_id : "-", msg);
		else
			syslog(syslog_prio[level], "%s", msg);
	}

	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char when[40];
	size_t w = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + w, sizeof(when) - w, ".%03ldZ", ts.tv_nsec / 1000000);

	char line[2048];
	size_t n;
	if (logger.format == BGL_LOG_JSON) {
		char esc[1400];
		n = clamp(snprintf(line, sizeof(line), "{\"ts\":\"%s\",\"level\":\"%s\",\"proc\":\"%s\"",
				   when, level_names[level], logger.ident), sizeof(line));
		if (call_id) {
			json_escape(esc, sizeof(esc), call_id);
			n += clamp(snprintf(line + n, sizeof(line) - n, ",\"call_id\":\"%s\"", esc),
				   sizeof(line) - n);
		}
		if (account_id) {
			json_escape(esc, sizeof(esc), account_id);
			n += clamp(snprintf(line + n, sizeof(line) - n, ",\"account_id\":\"%s\"", esc),
				   sizeof(line) - n);
		}
		json_escape(esc, sizeof(esc), msg);
		n += clamp(snprintf(line + n, sizeof(line) - n, ",\"msg\":\"%s\"}\n", esc),
			   sizeof(line) - n);
	} else {
		n = clamp(snprintf(line, sizeof(line), "%s %s[%d] %s: ", when, logger.ident,
				   (int)getpid(), level_names[level]), sizeof(line));
		if (call_id)
			n += clamp(snprintf(line + n, sizeof(line) - n, "call_id=%s account_id=%s ",
					    call_id, account_id ? account_id : "-"),
				   sizeof(line) - n);
		n += clamp(snprintf(line + n, sizeof(line) - n, "%s\n", msg), sizeof(line) - n);
	}
	if (n >= sizeof(line) - 1)
		line[sizeof(line) - 2] = '\n';
	ssize_t wr = write(STDERR_FILENO, line, n);
	(void)wr; /* nowhere left to report a failed log write */
}

void bgl_log_counter(char *line, size_t cap, size_t *pos, const char *name,
		     unsigned long long value)
{
	if (*pos < cap)
		*pos += (size_t)snprintf(line + *pos, cap - *pos, " %s=%llu", name, value);
}
