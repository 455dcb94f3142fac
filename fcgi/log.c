/*
 * log.c: one line per message on stderr, prefixed with time, level and
 * pid.  systemd or the stack script collects stderr.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"

int log_verbosity = LOG_INFO;

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	char		 ts[32], line[2048];
	struct tm	 tm;
	time_t		 now;
	va_list		 ap;
	int		 n;

	if ((int)lvl > log_verbosity)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof(line), "%s [%s] %d ", ts, names[lvl],
	    (int)getpid());
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One write(2) per line so lines of several workers never mix. */
	n = (int)strnlen(line, sizeof(line) - 2);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
