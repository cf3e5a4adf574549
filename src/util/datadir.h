/*
 * Where the files shipped with the programs are (sql/ migrations,
 * templates/): the directory an environment variable names, else the
 * one beside the running program (a program built in a source tree
 * uses that tree's, even after an older "make install"), else the
 * installed DATADIR/<name>, else <name> relative to the working
 * directory.
 */
#ifndef RO_DATADIR_H
#define RO_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

/* The directory of name, found as above; buf holds it.  Never NULL. */
const char *datadir_find(const char *name, const char *envvar, char *buf,
	    size_t bufsz);
/*
 * The rule, pure: env (the variable's value or NULL), exe (the
 * program's path or NULL), name, the installed directory, a directory
 * test.  Returns env, buf, installed or name.
 */
const char *datadir_pick(const char *env, const char *exe, const char *name,
	    const char *installed, bool (*isdir)(const char *), char *buf,
	    size_t bufsz);

#endif
