/*
 * The floor: the least a spinner can do.  Per frame, one write of a frame
 * shaped like the binaries' ("| message", erase to the end of the line,
 * back to the frame's start) to stderr, and one absolute sleep on
 * CLOCK_MONOTONIC until the next frame's time; nothing else.  The frames
 * are made before the first, so what a frame costs is those two calls.
 *
 *   floor MESSAGE INTERVAL FRAMES
 *
 * Frame k is written at start + k * INTERVAL.  The bench runs it beside
 * a binary on the same pty, to set that binary's CPU, memory, drift and
 * system calls per frame against.  At its end it writes its peak RSS,
 * "floor: vmhwm_kib=N", as the binaries' --stats does (wait4's ru_maxrss
 * would count the bench's own pages, copied into the child before exec).
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	static const char spin[] = "|/-\\";
	char frame[4][256];
	size_t len = 0;
	struct timespec start, at;
	double interval;
	long frames, ns;

	if (argc != 4 || (interval = strtod(argv[2], NULL)) <= 0 ||
	    (frames = strtol(argv[3], NULL, 10)) <= 0 ||
	    strlen(argv[1]) > 200) {
		fprintf(stderr, "usage: floor MESSAGE INTERVAL FRAMES\n");
		return 2;
	}
	for (int i = 0; i < 4; i++) {
		int n = snprintf(frame[i], sizeof(frame[i]), "%c %s\033[K"
		    "\033[%zuD", spin[i], argv[1], strlen(argv[1]) + 2);

		len = (size_t)n;
	}
	ns = (long)(interval * 1e9 + 0.5);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long k = 0; k < frames; k++) {
		long long t;

		if (write(STDERR_FILENO, frame[k % 4], len) < 0)
			return 1;
		/* start + (k + 1) * interval, never a sum of sleeps */
		t = (long long)start.tv_nsec + (long long)(k + 1) * ns;
		at.tv_sec = start.tv_sec + (time_t)(t / 1000000000);
		at.tv_nsec = (long)(t % 1000000000);
		if (k + 1 < frames)
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
			    &at, NULL) != 0)
				;
	}
	/* read(), not stdio: as little touched as the binaries touch */
	{
		char buf[2048], *hwm;
		int fd = open("/proc/self/status", O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

		if (n > 0) {
			buf[n] = '\0';
			if ((hwm = strstr(buf, "\nVmHWM:")) != NULL) {
				n = snprintf(frame[0], sizeof(frame[0]),
				    "\r\nfloor: vmhwm_kib=%ld\r\n",
				    strtol(hwm + 7, NULL, 10));
				if (write(STDERR_FILENO, frame[0], (size_t)n) <
				    0)
					return 1;
			}
		}
	}
	return 0;
}
