/* sys_os_win32.c -- sys_os.h on Windows, beside the platform-free sys_os.c:
 * QueryPerformanceCounter with timeBeginPeriod(1) sleeps, BCryptGenRandom, CreateProcessW with an
 * explicit environment block and a job that ends children with us, SetConsoleCtrlHandler waking
 * the loop through a loopback socket; kernel32, winmm, bcrypt and the seam's sockets (sys_net.h) */
#include "sys_os.h"

#include <winsock2.h>
#include <windows.h>
#include <bcrypt.h>
#include <fcntl.h>
#include <io.h>
#include <mmsystem.h>
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sys_net.h"
#include "sys_os_random.h"

#define SYS_CHILDREN      64    /* children started and not yet reaped, at once */
#define SYS_CMDLINE       32768 /* UTF-16 units of a command line (CreateProcessW's own limit) */
#define SYS_PATH_WIDE     4096  /* UTF-16 units of this program's path */
#define SYS_SIGKILL       9     /* the status of a child ended by sys_proc_kill is 128 + this */
#define SYS_TEMP_TRY      8     /* names tried for a new temporary folder */
#define SYS_UNIX_EPOCH_US 11644473600000000LL /* from 1601 (Windows' epoch) to 1970, in us */

static void sys_fmt(char *err, size_t errlen, const char *what, DWORD code)
{
    if (!err || !errlen)
        return;
    char text[256] = "";
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code,
                             MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), text, sizeof text, NULL);
    while (n > 0 && (text[n - 1] == '\r' || text[n - 1] == '\n' || text[n - 1] == '.'))
        text[--n] = '\0';
    if (n)
        snprintf(err, errlen, "%s: %s (%lu)", what, text, (unsigned long)code);
    else
        snprintf(err, errlen, "%s: error %lu", what, (unsigned long)code);
}

/* ---- clocks ---- */

static INIT_ONCE sys_clock_once = INIT_ONCE_STATIC_INIT;
static LONGLONG sys_qpc_hz;

/* The counter's frequency, and a 1 ms system timer for the sleeps (Windows' default tick is
 * 15.6 ms, far longer than a tick phase); both once per process. */
static BOOL CALLBACK sys_clock_start(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once, (void)param, (void)ctx;
    LARGE_INTEGER hz;
    QueryPerformanceFrequency(&hz);
    sys_qpc_hz = hz.QuadPart;
    timeBeginPeriod(1);
    return TRUE;
}

int64_t sys_clock_ns(void)
{
    InitOnceExecuteOnce(&sys_clock_once, sys_clock_start, NULL, NULL);
    LARGE_INTEGER now;
    QueryPerformanceCounter(&now);
    LONGLONG q = now.QuadPart;
    return (int64_t)(q / sys_qpc_hz) * SYS_NS_PER_SEC +
           (int64_t)(q % sys_qpc_hz) * SYS_NS_PER_SEC / sys_qpc_hz;
}

void sys_sleep_until_ns(int64_t when_ns)
{
    int64_t left = when_ns - sys_clock_ns();
    if (left <= 0)
        return;
    /* Whole milliseconds, rounded up: with the 1 ms timer the wake comes at most ~1 ms late,
     * never early. */
    Sleep((DWORD)((left + SYS_NS_PER_MS - 1) / SYS_NS_PER_MS));
}

int64_t sys_wall_us(void)
{
    FILETIME ft; /* 100 ns units since 1601 */
    GetSystemTimePreciseAsFileTime(&ft);
    int64_t t = (int64_t)(((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
    return t / 10 - SYS_UNIX_EPOCH_US;
}

void sys_local_time(char out[SYS_TIME_SIZE])
{
    SYSTEMTIME t;
    GetLocalTime(&t);
    snprintf(out, SYS_TIME_SIZE, "%04u-%02u-%02u %02u:%02u:%02u.%03u", t.wYear, t.wMonth, t.wDay,
             t.wHour, t.wMinute, t.wSecond, t.wMilliseconds);
}

/* ---- random bytes ---- */

int sys_random_fill(void *buf, size_t len, char *err, size_t errlen)
{
    NTSTATUS st = BCryptGenRandom(NULL, buf, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
    if (st != 0) { /* STATUS_SUCCESS */
        if (err && errlen)
            snprintf(err, errlen, "no random bytes from the system: BCryptGenRandom 0x%08lx",
                     (unsigned long)st);
        return -1;
    }
    return 0;
}

/* ---- child processes ---- */

/* The children's handles by id: Windows waits on handles, the seam speaks of ids. Guarded by
 * a lock, as the client starts and watches its server from more than one thread. */
static SRWLOCK sys_kids_lock = SRWLOCK_INIT;
static struct {
    sys_pid_t pid;
    HANDLE h;
} sys_kids[SYS_CHILDREN];

static HANDLE sys_kid_handle(sys_pid_t pid)
{
    HANDLE h = NULL;
    AcquireSRWLockShared(&sys_kids_lock);
    for (int i = 0; i < SYS_CHILDREN && !h; i++)
        if (pid > 0 && sys_kids[i].pid == pid)
            h = sys_kids[i].h;
    ReleaseSRWLockShared(&sys_kids_lock);
    return h;
}

static bool sys_kid_add(sys_pid_t pid, HANDLE h)
{
    bool added = false;
    AcquireSRWLockExclusive(&sys_kids_lock);
    for (int i = 0; i < SYS_CHILDREN && !added; i++)
        if (sys_kids[i].pid == 0) {
            sys_kids[i].pid = pid;
            sys_kids[i].h = h;
            added = true;
        }
    ReleaseSRWLockExclusive(&sys_kids_lock);
    return added;
}

static void sys_kid_forget(sys_pid_t pid)
{
    AcquireSRWLockExclusive(&sys_kids_lock);
    for (int i = 0; i < SYS_CHILDREN; i++)
        if (pid > 0 && sys_kids[i].pid == pid) {
            CloseHandle(sys_kids[i].h);
            sys_kids[i].pid = 0;
            sys_kids[i].h = NULL;
        }
    ReleaseSRWLockExclusive(&sys_kids_lock);
}

/* UTF-8 to a malloc'd UTF-16 string, or NULL. */
static wchar_t *sys_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    if (w && MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) <= 0) {
        free(w);
        w = NULL;
    }
    return w;
}

/* Appends arg to the command line at *len, quoted the way CommandLineToArgvW and the C
 * runtime read it back (backslashes doubled only before a quote). Returns false when full. */
static bool sys_cmdline_add(wchar_t *line, size_t *len, const wchar_t *arg)
{
    size_t at = *len;
#define SYS_PUT(c)                                                                                 \
    do {                                                                                           \
        if (at + 2 >= SYS_CMDLINE)                                                                 \
            return false;                                                                          \
        line[at++] = (c);                                                                          \
    } while (0)
    if (at > 0)
        SYS_PUT(L' ');
    SYS_PUT(L'"');
    for (const wchar_t *p = arg;; p++) {
        size_t slashes = 0;
        while (*p == L'\\') {
            slashes++;
            p++;
        }
        size_t times = *p == L'"' ? 2 * slashes + 1 : *p == 0 ? 2 * slashes : slashes;
        for (size_t i = 0; i < times; i++)
            SYS_PUT(L'\\');
        if (*p == 0)
            break;
        SYS_PUT(*p);
    }
    SYS_PUT(L'"');
#undef SYS_PUT
    line[at] = 0;
    *len = at;
    return true;
}

/* Whether environment entry e ("NAME=value") names the variable of add ("NAME=..."); names
 * are case-blind on Windows. */
static bool sys_env_same(const wchar_t *e, const wchar_t *add)
{
    const wchar_t *eq = wcschr(add + 1, L'=');
    size_t name = eq ? (size_t)(eq - add) : wcslen(add);
    return _wcsnicmp(e, add, name) == 0 && e[name] == L'=';
}

/* The child's environment block: this process's, with each of add replacing a variable of the
 * same name or added at the end; this process's own environment never changes (the admin
 * secret lives in the child's block only). Returns a malloc'd block, or NULL. */
static wchar_t *sys_env_block(const char *const *add)
{
    wchar_t *wadd[SYS_SPAWN_ENV] = {0};
    size_t nadd = 0, size = 1;
    for (; add && add[nadd] && nadd < SYS_SPAWN_ENV; nadd++) {
        if (!(wadd[nadd] = sys_wide(add[nadd])))
            goto fail;
        size += wcslen(wadd[nadd]) + 1;
    }
    wchar_t *own = GetEnvironmentStringsW();
    for (const wchar_t *e = own; e && *e; e += wcslen(e) + 1)
        size += wcslen(e) + 1;
    wchar_t *block = malloc(size * sizeof *block);
    if (block) {
        size_t at = 0;
        for (const wchar_t *e = own; e && *e; e += wcslen(e) + 1) {
            bool replaced = false;
            for (size_t j = 0; j < nadd && !replaced; j++)
                replaced = sys_env_same(e, wadd[j]);
            if (!replaced) {
                wcscpy(block + at, e);
                at += wcslen(e) + 1;
            }
        }
        for (size_t j = 0; j < nadd; j++) {
            wcscpy(block + at, wadd[j]);
            at += wcslen(wadd[j]) + 1;
        }
        block[at] = 0;
    }
    if (own)
        FreeEnvironmentStringsW(own);
    for (size_t j = 0; j < nadd; j++)
        free(wadd[j]);
    return block;
fail:
    for (size_t j = 0; j < nadd; j++)
        free(wadd[j]);
    return NULL;
}

/* An inheritable copy of the C runtime descriptor fd's handle, or of the null device when fd
 * is -1 (or has no handle). NULL when neither can be had. */
static HANDLE sys_std_handle(int fd, bool write)
{
    HANDLE src = fd >= 0 ? (HANDLE)_get_osfhandle(fd) : INVALID_HANDLE_VALUE;
    HANDLE h = NULL;
    if (src != INVALID_HANDLE_VALUE && src != NULL &&
        DuplicateHandle(GetCurrentProcess(), src, GetCurrentProcess(), &h, 0, TRUE,
                        DUPLICATE_SAME_ACCESS))
        return h;
    SECURITY_ATTRIBUTES sa = {.nLength = sizeof sa, .bInheritHandle = TRUE};
    h = CreateFileW(L"NUL", write ? GENERIC_WRITE : GENERIC_READ,
                    FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL);
    return h == INVALID_HANDLE_VALUE ? NULL : h;
}

/* The job that ends every child asked to die with us (parent_death_signal): Windows closes
 * the job's last handle when this process ends, and the job kills what it holds. */
static HANDLE sys_death_job(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    static HANDLE job;
    BOOL pending;
    if (InitOnceBeginInitialize(&once, 0, &pending, NULL) && pending) {
        job = CreateJobObjectW(NULL, NULL);
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
        memset(&li, 0, sizeof li);
        li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        if (job &&
            !SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li, sizeof li)) {
            CloseHandle(job);
            job = NULL;
        }
        InitOnceComplete(&once, 0, NULL);
    }
    return job;
}

/* The command line of sp as one UTF-16 string, or NULL (too long, or not UTF-8). */
static wchar_t *sys_cmdline(const sys_spawn_t *sp)
{
    wchar_t *line = malloc(SYS_CMDLINE * sizeof *line);
    if (!line)
        return NULL;
    size_t len = 0;
    line[0] = 0;
    for (size_t i = 0; sp->argv[i]; i++) {
        wchar_t *w = sys_wide(sp->argv[i]);
        bool ok = w && sys_cmdline_add(line, &len, w);
        free(w);
        if (!ok) {
            free(line);
            return NULL;
        }
    }
    return line;
}

/* CreateProcessW with the three standard handles, and no other handle of ours inherited. */
static bool sys_create(const sys_spawn_t *sp, wchar_t *exe, wchar_t *line, wchar_t *env,
                       PROCESS_INFORMATION *pi)
{
    HANDLE std[3] = {sys_std_handle(-1, false), sys_std_handle(sp->out_fd, true),
                     sys_std_handle(sp->err_fd, true)};
    SIZE_T size = 0;
    InitializeProcThreadAttributeList(NULL, 1, 0, &size);
    LPPROC_THREAD_ATTRIBUTE_LIST attrs = malloc(size);
    bool ok = attrs && std[0] && std[1] && std[2] &&
              InitializeProcThreadAttributeList(attrs, 1, 0, &size) &&
              UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, std,
                                        sizeof std, NULL, NULL);
    DWORD e = ok ? 0 : GetLastError();
    if (ok) {
        STARTUPINFOEXW si;
        memset(&si, 0, sizeof si);
        si.StartupInfo.cb = sizeof si;
        si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
        si.StartupInfo.hStdInput = std[0];
        si.StartupInfo.hStdOutput = std[1];
        si.StartupInfo.hStdError = std[2];
        si.lpAttributeList = attrs;
        /* No console window for a console program we start (the client's server runs
         * unseen); a session of its own is a process group of its own. */
        DWORD flags = CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT | CREATE_NO_WINDOW |
                      (sp->new_session ? CREATE_NEW_PROCESS_GROUP : 0);
        ok = CreateProcessW(exe, line, NULL, NULL, TRUE, flags, env, NULL, &si.StartupInfo, pi);
        e = ok ? 0 : GetLastError();
        DeleteProcThreadAttributeList(attrs);
    }
    free(attrs);
    for (int i = 0; i < 3; i++)
        if (std[i])
            CloseHandle(std[i]);
    SetLastError(e);
    return ok;
}

int sys_proc_spawn(const sys_spawn_t *sp, sys_pid_t *pid, char *err, size_t errlen)
{
    wchar_t *exe = sys_wide(sp->exe);
    wchar_t *line = sys_cmdline(sp);
    wchar_t *env = sys_env_block(sp->env);
    PROCESS_INFORMATION pi;
    bool ok = exe && line && env && sys_create(sp, exe, line, env, &pi);
    DWORD e = ok ? 0 : exe && line && env ? GetLastError() : ERROR_NOT_ENOUGH_MEMORY;
    free(exe);
    free(line);
    free(env);
    if (!ok) {
        char what[300];
        snprintf(what, sizeof what, "cannot start %s", sp->exe);
        sys_fmt(err, errlen, what, e);
        return -1;
    }
    CloseHandle(pi.hThread);
    if (sp->parent_death_signal && sys_death_job())
        AssignProcessToJobObject(sys_death_job(), pi.hProcess);
    if (!sys_kid_add((sys_pid_t)pi.dwProcessId, pi.hProcess)) {
        TerminateProcess(pi.hProcess, 128 + SYS_SIGKILL);
        CloseHandle(pi.hProcess);
        if (err && errlen)
            snprintf(err, errlen, "cannot start %s: %d children already", sp->exe, SYS_CHILDREN);
        return -1;
    }
    *pid = (sys_pid_t)pi.dwProcessId;
    return 0;
}

/* The exit status of a child that ended, as the seam gives it (0..255). */
static int sys_exit_status(HANDLE h)
{
    DWORD code = 0;
    GetExitCodeProcess(h, &code);
    return (int)(code & 0xff);
}

int sys_proc_reap(sys_pid_t pid, int *status)
{
    HANDLE h = sys_kid_handle(pid);
    if (!h)
        return -1;
    if (WaitForSingleObject(h, 0) != WAIT_OBJECT_0)
        return 0;
    *status = sys_exit_status(h);
    sys_kid_forget(pid);
    return 1;
}

int sys_proc_reap_wait(sys_pid_t pid)
{
    HANDLE h = sys_kid_handle(pid);
    if (!h || WaitForSingleObject(h, INFINITE) != WAIT_OBJECT_0)
        return -1;
    int status = sys_exit_status(h);
    sys_kid_forget(pid);
    return status;
}

bool sys_proc_running(sys_pid_t pid)
{
    HANDLE h = sys_kid_handle(pid);
    return h && WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
}

/* Windows has no signals between processes: any signal ends the child at once, with the
 * status a Linux child killed by that signal has (128 + sig). */
void sys_proc_signal(sys_pid_t pid, int sig)
{
    HANDLE h = sys_kid_handle(pid);
    if (h)
        TerminateProcess(h, (UINT)(128 + sig));
}

void sys_proc_ask_end(sys_pid_t pid)
{
    (void)pid; /* no gentle signal: TerminateProcess would be the kill itself */
}

int sys_proc_self_dir(char *out, size_t cap)
{
    wchar_t path[SYS_PATH_WIDE];
    DWORD n = GetModuleFileNameW(NULL, path, SYS_PATH_WIDE);
    if (n == 0 || n >= SYS_PATH_WIDE)
        return -1;
    wchar_t *slash = wcsrchr(path, L'\\');
    if (!slash)
        return -1;
    *slash = 0;
    return WideCharToMultiByte(CP_UTF8, 0, path, -1, out, (int)cap, NULL, NULL) > 0 ? 0 : -1;
}

void sys_env_unset(const char *name)
{
    _putenv_s(name, ""); /* an empty value removes the variable */
}

void sys_proc_kill(sys_pid_t pid)
{
    sys_proc_signal(pid, SYS_SIGKILL);
}

/* ---- files ---- */

int sys_make_private_dir(char *out, size_t cap, const char *parent, const char *prefix, char *err,
                         size_t errlen)
{
    char base[MAX_PATH * 3] = "";
    if (!parent || !parent[0]) {
        wchar_t wtmp[MAX_PATH + 1];
        DWORD n = GetTempPathW(MAX_PATH + 1, wtmp); /* the user's own %TEMP%, "...\" */
        if (n == 0 || n > MAX_PATH ||
            !WideCharToMultiByte(CP_UTF8, 0, wtmp, -1, base, sizeof base, NULL, NULL)) {
            sys_fmt(err, errlen, "cannot find the temporary folder", GetLastError());
            return -1;
        }
        size_t len = strlen(base);
        if (len > 0 && (base[len - 1] == '\\' || base[len - 1] == '/'))
            base[len - 1] = '\0';
        parent = base;
    }
    DWORD e = ERROR_ALREADY_EXISTS;
    for (int i = 0; i < SYS_TEMP_TRY && e == ERROR_ALREADY_EXISTS; i++) {
        char tag[13];
        if (sys_random_hex(tag, sizeof tag, 6, err, errlen) < 0)
            return -1;
        int n = snprintf(out, cap, "%s\\%s-%s", parent, prefix, tag);
        wchar_t *w = n >= 0 && (size_t)n < cap ? sys_wide(out) : NULL;
        e = !w ? ERROR_FILENAME_EXCED_RANGE : CreateDirectoryW(w, NULL) ? 0 : GetLastError();
        free(w);
    }
    if (e != 0) {
        sys_fmt(err, errlen, "cannot make a temporary folder", e);
        if (cap)
            out[0] = '\0';
        return -1;
    }
    return 0;
}

int sys_make_dir(const char *path, char *err, size_t errlen)
{
    wchar_t *w = sys_wide(path);
    DWORD e = !w ? ERROR_NOT_ENOUGH_MEMORY : CreateDirectoryW(w, NULL) ? 0 : GetLastError();
    if (e == ERROR_ALREADY_EXISTS && (GetFileAttributesW(w) & FILE_ATTRIBUTE_DIRECTORY) &&
        GetFileAttributesW(w) != INVALID_FILE_ATTRIBUTES)
        e = 0;
    free(w);
    if (e != 0)
        sys_fmt(err, errlen, path, e);
    return e == 0 ? 0 : -1;
}

int sys_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: the path is too long", path);
        return -1;
    }
    wchar_t *wtmp = sys_wide(tmp), *wpath = sys_wide(path);
    DWORD e = !wtmp || !wpath ? ERROR_NOT_ENOUGH_MEMORY : 0;
    HANDLE h = INVALID_HANDLE_VALUE;
    if (!e) {
        DeleteFileW(wtmp); /* a stale one goes first: the file is made afresh */
        h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
        if (h == INVALID_HANDLE_VALUE)
            e = GetLastError();
    }
    for (size_t off = 0; !e && off < len;) {
        DWORD chunk = len - off > 1u << 30 ? 1u << 30 : (DWORD)(len - off), wrote = 0;
        if (!WriteFile(h, (const char *)data + off, chunk, &wrote, NULL) || wrote == 0)
            e = GetLastError() ? GetLastError() : ERROR_WRITE_FAULT;
        off += wrote;
    }
    if (h != INVALID_HANDLE_VALUE && !CloseHandle(h) && !e)
        e = GetLastError();
    if (!e && !MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        e = GetLastError();
    if (e && h != INVALID_HANDLE_VALUE)
        DeleteFileW(wtmp);
    free(wtmp);
    free(wpath);
    if (e)
        sys_fmt(err, errlen, path, e);
    return e ? -1 : 0;
}

bool sys_is_executable(const char *path)
{
    wchar_t *w = sys_wide(path);
    DWORD attr = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    free(w);
    size_t len = strlen(path);
    /* Windows runs what exists and is named .exe; there is no execute bit to look at. */
    return attr != INVALID_FILE_ATTRIBUTES && !(attr & FILE_ATTRIBUTE_DIRECTORY) && len > 4 &&
           _stricmp(path + len - 4, ".exe") == 0;
}

const char *sys_path_last_sep(const char *path)
{
    const char *slash = strrchr(path, '/'), *back = strrchr(path, '\\');
    if (!slash || !back)
        return slash ? slash : back;
    return back > slash ? back : slash;
}

void sys_host_name(char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    wchar_t name[256];
    DWORD n = 256;
    if (GetComputerNameExW(ComputerNameDnsHostname, name, &n))
        WideCharToMultiByte(CP_UTF8, 0, name, -1, out, (int)cap, NULL, NULL);
    out[cap - 1] = '\0';
}

/* sys_remove_tree on a UTF-16 path; a link (reparse point) is removed, never followed. */
static void sys_remove_wide(const wchar_t *path)
{
    DWORD attr = GetFileAttributesW(path);
    if (attr == INVALID_FILE_ATTRIBUTES)
        return;
    if (!(attr & FILE_ATTRIBUTE_DIRECTORY)) {
        DeleteFileW(path);
        return;
    }
    if (!(attr & FILE_ATTRIBUTE_REPARSE_POINT)) {
        size_t len = wcslen(path);
        wchar_t *pattern = malloc((len + 3) * sizeof *pattern);
        WIN32_FIND_DATAW fd;
        HANDLE h = INVALID_HANDLE_VALUE;
        if (pattern) {
            swprintf(pattern, len + 3, L"%ls\\*", path);
            h = FindFirstFileW(pattern, &fd);
        }
        for (BOOL more = h != INVALID_HANDLE_VALUE; more; more = FindNextFileW(h, &fd)) {
            if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
                continue;
            size_t clen = len + wcslen(fd.cFileName) + 2;
            wchar_t *child = malloc(clen * sizeof *child);
            if (child) {
                swprintf(child, clen, L"%ls\\%ls", path, fd.cFileName);
                sys_remove_wide(child);
                free(child);
            }
        }
        if (h != INVALID_HANDLE_VALUE)
            FindClose(h);
        free(pattern);
    }
    RemoveDirectoryW(path);
}

void sys_remove_tree(const char *path)
{
    wchar_t *w = sys_wide(path);
    if (w)
        sys_remove_wide(w);
    free(w);
}

int sys_open_log(const char *path, char *err, size_t errlen)
{
    wchar_t *w = sys_wide(path);
    int fd = w ? _wopen(w, _O_WRONLY | _O_CREAT | _O_APPEND | _O_BINARY | _O_NOINHERIT,
                        _S_IREAD | _S_IWRITE)
               : -1;
    free(w);
    if (fd < 0 && err && errlen)
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
    return fd;
}

void sys_close_file(int fd)
{
    if (fd >= 0)
        _close(fd);
}

/* ---- signals and limits ---- */

/* The only globals of the seam: what the console handler needs. The handler runs on a thread
 * of its own, so the "pipe" is a loopback UDP socket connected to itself: a socket, which
 * WSAPoll can wait on beside the others. */
static volatile LONG sys_sig_seen;
static int sys_sig_sock = -1;

static BOOL WINAPI sys_on_console(DWORD event)
{
    /* A second Ctrl+C means "now": no clean-up, no waiting for rounds. */
    if (InterlockedIncrement(&sys_sig_seen) > 1)
        ExitProcess(1);
    char c = 1;
    sys_net_send(sys_sig_sock, &c, 1, NULL, 0);
    if (event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT)
        Sleep(INFINITE); /* Windows ends us when this returns: let the loop finish first */
    return TRUE;
}

int sys_signal_pipe(char *err, size_t errlen)
{
    sys_addr_t lo;
    sys_addr_ipv4(&lo, htonl(INADDR_LOOPBACK), 0);
    int s = sys_udp_open(&lo, 0, err, errlen);
    if (s < 0)
        return -1;
    sys_addr_t self;
    if (sys_net_local_addr(s, &self) < 0 ||
        connect((SOCKET)(intptr_t)s, (const struct sockaddr *)(const void *)self.u.raw,
                (int)self.len) != 0) {
        if (err && errlen)
            snprintf(err, errlen, "the console signal socket cannot reach itself");
        sys_net_close(s);
        return -1;
    }
    sys_sig_sock = s;
    if (!SetConsoleCtrlHandler(sys_on_console, TRUE)) {
        sys_fmt(err, errlen, "SetConsoleCtrlHandler", GetLastError());
        sys_signal_close();
        return -1;
    }
    return s;
}

void sys_signal_drain(int fd)
{
    char buf[16];
    while (sys_net_recv(fd, buf, sizeof buf, NULL, 0) > 0)
        ;
}

void sys_signal_close(void)
{
    SetConsoleCtrlHandler(sys_on_console, FALSE);
    sys_net_close(sys_sig_sock);
    sys_sig_sock = -1;
}

/* Windows has no per-process limit on sockets to raise. */
long sys_raise_fd_limit(long want, char *err, size_t errlen)
{
    (void)want;
    if (err && errlen)
        err[0] = '\0';
    return -1;
}
