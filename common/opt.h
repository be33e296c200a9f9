/* opt.h -- the command line of every nine43 program: a table of options with parsers and help
 * text, --help and --version generated from it; depends on libc only */
#ifndef NINE43_OPT_H
#define NINE43_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define OPT_ERR_MAX 256 /* bytes of a parser's reason, with its terminator */

typedef struct opt opt_t;

/* Stores VALUE (NULL for a flag) into CFG; returns 0, or -1 with a reason in ERR ("expected a
 * whole number from 1 to 8, got \"x\""): opt_parse puts the program and option name before it. */
typedef int (*opt_parse_fn)(void *cfg, const opt_t *opt, const char *value, char *err,
                            size_t errlen);

/* One row of a program's table. The help text may hold {lo}, {hi} and {def}, replaced by those
 * numbers, so a limit is written once (its named constant) and the help cannot drift from it. A
 * '\n' in the help starts a continuation line under the same column. */
struct opt {
    const char *name;   /* "--port"; NULL ends the table */
    const char *arg;    /* "N" for an option that takes a value, NULL for a flag */
    const char *help;   /* one line per '\n' */
    opt_parse_fn parse; /* opt_int, opt_flag, opt_string, or the program's own */
    size_t offset;      /* where the generic parsers store, offsetof(config, field) */
    long lo, hi, def;   /* opt_int's range; {lo} {hi} {def} in the help */
};

typedef struct opt_program {
    const char *name;    /* "nine43-server": starts every error line */
    const char *version; /* --version prints "NAME VERSION" */
    const char *usage;   /* what follows "usage: " (lines after the first are printed as given) */
    const char *intro;   /* printed between the usage line and the options, or NULL */
    const char *outro;   /* printed after the options, or NULL */
    const opt_t *opts;
} opt_program_t;

typedef enum opt_result {
    OPT_RUN,   /* parsed: run the program */
    OPT_EXIT,  /* --help or --version printed: exit 0 */
    OPT_ERROR, /* the reason and the usage were printed to stderr: exit OPT_EXIT_USAGE */
} opt_result_t;

#define OPT_EXIT_USAGE 2

/* Reads "--name value", "--name=value" and flags; --help / -h and --version are built in. */
opt_result_t opt_parse(const opt_program_t *prog, void *cfg, int argc, char **argv);
void opt_usage(const opt_program_t *prog, FILE *out);

/* Generic parsers, storing at cfg + opt->offset. */
int opt_int(void *cfg, const opt_t *opt, const char *value, char *err,
            size_t errlen); /* int in [lo, hi] */
int opt_flag(void *cfg, const opt_t *opt, const char *value, char *err,
             size_t errlen); /* bool set true */
int opt_string(void *cfg, const opt_t *opt, const char *value, char *err,
               size_t errlen); /* const char *, not empty */

/* A whole number in [lo, hi], or -1 with "expected a whole number from LO to HI, got ...". */
int opt_read_long(const char *value, long lo, long hi, long *out, char *err, size_t errlen);

#endif
