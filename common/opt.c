/* opt.c -- parses a command line against a program's option table and prints its help;
 * uses libc only */
#include "opt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define OPT_HELP_MIN_COLUMN 20 /* the help column starts at least this far in */

static const opt_t OPT_HELP = {"--help", NULL, "show this help", NULL, 0, 0, 0, 0};
static const opt_t OPT_VERSION = {"--version", NULL, "show the version", NULL, 0, 0, 0, 0};

static size_t opt_left_width(const opt_t *o)
{
    return strlen(o->name) + (o->arg ? 1 + strlen(o->arg) : 0);
}

/* Prints HELP with {lo}, {hi} and {def} filled in, continuation lines indented to COLUMN. */
static void opt_print_help(FILE *out, const opt_t *o, int column)
{
    for (const char *p = o->help; *p; p++) {
        if (*p == '{') {
            const long *n = !strncmp(p, "{lo}", 4)    ? &o->lo
                            : !strncmp(p, "{hi}", 4)  ? &o->hi
                            : !strncmp(p, "{def}", 5) ? &o->def
                                                      : NULL;
            if (n) {
                fprintf(out, "%ld", *n);
                p = strchr(p, '}');
                continue;
            }
        }
        fputc(*p, out);
        if (*p == '\n')
            fprintf(out, "%*s", column, "");
    }
    fputc('\n', out);
}

static void opt_print_row(FILE *out, const opt_t *o, int width)
{
    fprintf(out, "  %s%s%s%*s", o->name, o->arg ? " " : "", o->arg ? o->arg : "",
            width - (int)opt_left_width(o) + 2, "");
    opt_print_help(out, o, width + 4);
}

void opt_usage(const opt_program_t *prog, FILE *out)
{
    size_t width = OPT_HELP_MIN_COLUMN - 4;
    for (const opt_t *o = prog->opts; o->name; o++)
        if (opt_left_width(o) > width)
            width = opt_left_width(o);
    fprintf(out, "usage: %s\n", prog->usage);
    if (prog->intro)
        fprintf(out, "%s", prog->intro);
    fputc('\n', out);
    for (const opt_t *o = prog->opts; o->name; o++)
        opt_print_row(out, o, (int)width);
    opt_print_row(out, &OPT_HELP, (int)width);
    opt_print_row(out, &OPT_VERSION, (int)width);
    if (prog->outro)
        fprintf(out, "\n%s", prog->outro);
}

static opt_result_t opt_fail(const opt_program_t *prog, const char *what, const char *name,
                             const char *detail)
{
    fprintf(stderr, "%s: %s%s%s\n", prog->name, what, name, detail);
    opt_usage(prog, stderr);
    return OPT_ERROR;
}

static const opt_t *opt_find(const opt_program_t *prog, const char *arg, size_t len)
{
    for (const opt_t *o = prog->opts; o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, arg, len) == 0)
            return o;
    return NULL;
}

opt_result_t opt_parse(const opt_program_t *prog, void *cfg, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            opt_usage(prog, stdout);
            return OPT_EXIT;
        }
        if (!strcmp(arg, "--version")) {
            printf("%s %s\n", prog->name, prog->version);
            return OPT_EXIT;
        }
        if (strncmp(arg, "--", 2) != 0)
            return opt_fail(prog, "unexpected argument \"", arg, "\"");
        const char *eq = strchr(arg, '=');
        const opt_t *o = opt_find(prog, arg, eq ? (size_t)(eq - arg) : strlen(arg));
        if (!o)
            return opt_fail(prog, "unknown option \"", arg, "\"");
        const char *value = NULL;
        if (o->arg) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else
                return opt_fail(prog, o->name, " needs a value: ", o->arg);
        } else if (eq) {
            return opt_fail(prog, o->name, " takes no value", "");
        }
        char err[OPT_ERR_MAX] = "";
        if (o->parse(cfg, o, value, err, sizeof err) != 0)
            return opt_fail(prog, o->name, ": ", err);
    }
    return OPT_RUN;
}

int opt_read_long(const char *value, long lo, long hi, long *out, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || v < lo || v > hi) {
        snprintf(err, errlen, "expected a whole number from %ld to %ld, got \"%s\"", lo, hi, value);
        return -1;
    }
    *out = v;
    return 0;
}

int opt_int(void *cfg, const opt_t *opt, const char *value, char *err, size_t errlen)
{
    long v;
    if (opt_read_long(value, opt->lo, opt->hi, &v, err, errlen) != 0)
        return -1;
    *(int *)((char *)cfg + opt->offset) = (int)v;
    return 0;
}

int opt_flag(void *cfg, const opt_t *opt, const char *value, char *err, size_t errlen)
{
    (void)value, (void)err, (void)errlen;
    *(bool *)((char *)cfg + opt->offset) = true;
    return 0;
}

int opt_string(void *cfg, const opt_t *opt, const char *value, char *err, size_t errlen)
{
    if (value[0] == '\0') {
        snprintf(err, errlen, "the value is empty");
        return -1;
    }
    *(const char **)((char *)cfg + opt->offset) = value;
    return 0;
}
