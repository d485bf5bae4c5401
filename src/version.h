/*
 * The project's version, its one definition: --version prints it, and the
 * Makefile reads it from here for make dist and checks debian/changelog
 * against it.
 */
#ifndef VERSION_H
#define VERSION_H

#define SPINNER_VERSION "0.1.0"
#define SPINNER_COPYRIGHT "Copyright (C) 2026 The spinner authors."

#endif
