/* proc.c -- child processes with a private temporary folder, and nine43-server started until
 * its --port-file is written; the folder, the log and the child itself through the seam
 * (sys_os.h), the port file with stdio */
#include "proc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys_os.h"

#define PROC_PATH_MAX 4096 /* bytes of the running program's folder */

static long long proc_now_ms(void)
{
    return (long long)(sys_clock_ns() / SYS_NS_PER_MS);
}

int proc_make_dir(proc_t *p, const proc_opts_t *o, char *err, size_t errlen)
{
    if (p->dir[0])
        return 0;
    if (sys_make_private_dir(p->dir, sizeof p->dir, o->tmp_parent, o->dir_prefix, err, errlen) < 0)
        return -1;
    snprintf(p->log, sizeof p->log, "%s/%s", p->dir, o->log_name);
    return 0;
}

int proc_start(proc_t *p, const proc_opts_t *o, const char *exe, const char *const *args, char *err,
               size_t errlen)
{
    if (proc_make_dir(p, o, err, errlen) < 0)
        return -1;
    const char *argv[PROC_MAX_ARGS + 2];
    int n = 0;
    argv[n++] = exe;
    for (int i = 0; args && args[i] && n <= PROC_MAX_ARGS; i++)
        argv[n++] = args[i];
    argv[n] = NULL;

    /* Opened here, so that a log that cannot be written is this call's error. */
    int logfd = sys_open_log(p->log, err, errlen);
    if (logfd < 0)
        return -1;
    sys_spawn_t sp = {.exe = exe,
                      .argv = argv,
                      .env = o->env,
                      .out_fd = o->stdout_to_null ? -1 : logfd,
                      .err_fd = logfd,
                      .new_session = o->new_session,
                      .parent_death_signal = o->parent_death_signal};
    sys_pid_t pid = 0;
    int rc = sys_proc_spawn(&sp, &pid, err, errlen);
    sys_close_file(logfd);
    if (rc < 0)
        return -1;
    p->pid = pid;
    return 0;
}

int proc_server_start(proc_t *p, const proc_opts_t *o, const char *exe, const char *const *args,
                      char *err, size_t errlen)
{
    if (proc_make_dir(p, o, err, errlen) < 0)
        return -1;
    snprintf(p->port_file, sizeof p->port_file, "%s/port", p->dir);
    p->port = 0;
    p->port_seen[0] = '\0';
    /* The port file goes first: a test may end args with an option that lacks its value. */
    const char *argv[PROC_MAX_ARGS + 1];
    int n = 0;
    if (o->wrapper && o->wrapper[0]) {
        for (int i = 1; o->wrapper[i] && n < PROC_MAX_ARGS - 3; i++)
            argv[n++] = o->wrapper[i];
        argv[n++] = exe;
        exe = o->wrapper[0];
    }
    argv[n++] = "--port-file";
    argv[n++] = p->port_file;
    for (int i = 0; args && args[i] && n < PROC_MAX_ARGS; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return proc_start(p, o, exe, argv, err, errlen);
}

int proc_server_poll(proc_t *p)
{
    if (p->pid > 0)
        proc_wait(p, 0); /* reaps a server that has exited */
    if (p->pid <= 0)
        return -1;
    FILE *f = fopen(p->port_file, "r");
    if (!f)
        return 0;
    char buf[sizeof p->port_seen];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *end;
    long port = strtol(buf, &end, 10);
    if (end == buf || port <= 0 || port > 65535)
        return 0;
    /* A file still being written may hold part of the number: trust it once it ends in a
     * newline, or when the same text is read twice in a row. */
    bool complete = *end == '\n' || *end == '\r' || strcmp(buf, p->port_seen) == 0;
    memcpy(p->port_seen, buf, n + 1);
    if (!complete)
        return 0;
    p->port = (int)port;
    return 1;
}

int proc_server_wait(proc_t *p, int timeout_ms, char *err, size_t errlen)
{
    long long deadline = proc_now_ms() + timeout_ms;
    for (;;) {
        int r = proc_server_poll(p);
        if (r == 1)
            return 0;
        if (r < 0) {
            snprintf(err, errlen, "the server exited with status %d before listening", p->status);
            return -1;
        }
        if (proc_now_ms() >= deadline) {
            snprintf(err, errlen, "the server did not write its port file within %d ms",
                     timeout_ms);
            return -1;
        }
        sys_sleep_ms(PROC_POLL_MS);
    }
}

bool proc_running(const proc_t *p)
{
    return p->pid > 0 && sys_proc_running(p->pid);
}

int proc_wait(proc_t *p, int timeout_ms)
{
    if (p->pid <= 0)
        return p->status;
    long long deadline = proc_now_ms() + timeout_ms;
    for (;;) {
        int st = 0;
        int r = sys_proc_reap(p->pid, &st);
        if (r != 0) {
            p->pid = 0;
            p->status = r > 0 ? st : -1;
            return p->status;
        }
        if (proc_now_ms() >= deadline)
            return -1;
        sys_sleep_ms(PROC_POLL_MS);
    }
}

void proc_signal(const proc_t *p, int sig)
{
    sys_proc_signal(p->pid, sig);
}

int proc_stop(proc_t *p, int grace_ms)
{
    if (p->pid <= 0)
        return p->status;
    sys_proc_signal(p->pid, SIGTERM);
    if (proc_wait(p, grace_ms) >= 0)
        return p->status;
    sys_proc_kill(p->pid);
    p->status = sys_proc_reap_wait(p->pid);
    p->pid = 0;
    return p->status;
}

void proc_remove_dir(proc_t *p)
{
    if (!p->dir[0])
        return;
    sys_remove_tree(p->dir);
    p->dir[0] = '\0';
}

int proc_beside_self(const char *name, char *out, size_t cap)
{
    char dir[PROC_PATH_MAX];
    if (sys_proc_self_dir(dir, sizeof dir) != 0)
        return -1;
    int len = snprintf(out, cap, "%s/%s", dir, name);
    return len >= 0 && (size_t)len < cap ? 0 : -1;
}
