/*
 * A front end built for tests/test_faults.c: its main is renamed
 * spinner_main (-Dmain=spinner_main), so that a test can run it inside a
 * process whose calls it makes fail.
 */
#ifndef FAULTS_H
#define FAULTS_H

int spinner_main(int argc, char **argv);

#endif
