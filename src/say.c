#include "say.h"

#include <err.h>
#include <stdarg.h>
#include <stdio.h>

int
say_flush(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("write error");
		return -1;
	}
	return 0;
}

int
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	return say_flush();
}
