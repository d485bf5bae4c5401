/*
 * main() of both front ends: the process made sound (standard descriptors
 * open, the user's locale for characters), the options parsed, and the
 * answers that need no spinner (--help, --version, --list-styles, bad
 * input) given; everything else is the front end's run.
 */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>

#include "options.h"

/*
 * The whole of a front end's main(): returns the exit status, from run()
 * when the spinner should run.  interval_ns is the binary's default frame
 * period.  Messages name the program as err(3) does.
 */
int cli_main(int argc, char **argv, int64_t interval_ns,
    int (*run)(const struct spin_opts *opts));

#endif
