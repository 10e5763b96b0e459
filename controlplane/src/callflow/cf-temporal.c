/* Temporal rule matching: is the given local moment inside the rule's day and window? */
#include "cf-temporal.h"

#include <string.h>

static long long day_number(int y, int m, int d)
{
	/* days since 1970-01-01 of a civil date (m 1-12) */
	long long yy = y - (m <= 2);
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	long long yoe = yy - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;

	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int wday_index(const char *s)
{
	static const char *const names[] = {"sunday", "monday", "tuesday", "wednesday",
					    "thursday", "friday", "saturday"};

	if (strcmp(s, "wensday") == 0)	/* KAZOO's historical spelling */
		return 3;
	for (int i = 0; i < 7; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static bool wday_listed(const json_t *rule, int wday)
{
	size_t i;
	const json_t *v;

	json_array_foreach(json_object_get(rule, "wdays"), i, v)
		if (json_is_string(v) && wday_index(json_string_value(v)) == wday)
			return true;
	return false;
}

static bool day_listed(const json_t *rule, int mday)
{
	size_t i;
	const json_t *v;

	json_array_foreach(json_object_get(rule, "days"), i, v)
		if (json_is_integer(v) && json_integer_value(v) == mday)
			return true;
	return false;
}

static int mdays(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

/* Day-of-month rules shared by monthly and yearly: days, or ordinal + wdays. */
static bool day_in_month(const json_t *rule, const struct tm *t)
{
	const char *ord = json_string_value(json_object_get(rule, "ordinal"));
	static const char *const ords[] = {"first", "second", "third", "fourth", "fifth"};

	if (json_array_size(json_object_get(rule, "days")))
		return day_listed(rule, t->tm_mday);
	if (!ord || !wday_listed(rule, t->tm_wday))
		return false;
	if (strcmp(ord, "every") == 0)
		return true;
	if (strcmp(ord, "last") == 0)
		return t->tm_mday + 7 > mdays(t->tm_year + 1900, t->tm_mon + 1);
	for (int i = 0; i < 5; i++)
		if (strcmp(ord, ords[i]) == 0)
			return (t->tm_mday - 1) / 7 == i;
	return false;
}

bool cf_temporal_matches(const json_t *rule, const struct tm *t)
{
	const json_t *en = json_object_get(rule, "enabled");
	const char *cycle = json_string_value(json_object_get(rule, "cycle"));
	json_int_t start_g = json_is_integer(json_object_get(rule, "start_date"))
				     ? json_integer_value(json_object_get(rule, "start_date"))
				     : 62586115200LL;
	json_int_t interval = json_is_integer(json_object_get(rule, "interval"))
				      ? json_integer_value(json_object_get(rule, "interval"))
				      : 1;
	json_int_t wstart = json_is_integer(json_object_get(rule, "time_window_start"))
				    ? json_integer_value(json_object_get(rule, "time_window_start"))
				    : 0;
	json_int_t wstop = json_is_integer(json_object_get(rule, "time_window_stop"))
				   ? json_integer_value(json_object_get(rule, "time_window_stop"))
				   : 86400;
	long long sec = t->tm_hour * 3600LL + t->tm_min * 60 + t->tm_sec;
	long long today = day_number(t->tm_year + 1900, t->tm_mon + 1, t->tm_mday);
	long long start_day, start_s;
	int sy, sm;
	struct tm st;
	time_t su;

	if (json_is_true(en))
		return true;
	if (json_is_false(en) || !cycle)
		return false;
	if (interval < 1)
		interval = 1;
	if (sec < wstart || sec >= wstop)
		return false;
	/* the start date is a calendar day: taken in UTC, compared with the local day */
	start_s = (long long)start_g - CF_GREGORIAN_UNIX_OFFSET;
	if (start_s < -(1LL << 40) || start_s > (1LL << 40))
		return false;
	su = (time_t)start_s;
	if (!gmtime_r(&su, &st))
		return false;
	start_day = day_number(st.tm_year + 1900, st.tm_mon + 1, st.tm_mday);
	if (today < start_day)
		return false;
	sy = st.tm_year + 1900;
	sm = st.tm_mon + 1;
	if (strcmp(cycle, "date") == 0)
		return today == start_day;
	if (strcmp(cycle, "daily") == 0)
		return (today - start_day) % interval == 0;
	if (strcmp(cycle, "weekly") == 0) {
		/* weeks counted Monday to Monday from the start date's week */
		long long wk = (today + 3) / 7 - (start_day + 3) / 7;

		return wk % interval == 0 && wday_listed(rule, t->tm_wday);
	}
	if (strcmp(cycle, "monthly") == 0) {
		long long months = (t->tm_year + 1900 - sy) * 12LL + (t->tm_mon + 1 - sm);

		return months % interval == 0 && day_in_month(rule, t);
	}
	if (strcmp(cycle, "yearly") == 0) {
		json_int_t month = json_is_integer(json_object_get(rule, "month"))
					   ? json_integer_value(json_object_get(rule, "month"))
					   : sm;

		return (t->tm_year + 1900 - sy) % interval == 0 && month == t->tm_mon + 1 &&
		       day_in_month(rule, t);
	}
	return false;
}
