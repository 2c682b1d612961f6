/*
 * berth native addon: the few system calls Node has no binding for.
 *   mknod(path, mode, dev)                 whiteouts are 0/0 character devices
 *   lsetxattr(path, name, buf) / lgetxattr(path, name) -> Buffer|null / llistxattr(path) -> string[]
 *   mount(source, target, fstype, flags, data) / umount2(target, flags)
 *   flock(fd, exclusiveNonBlocking) -> bool   the one-daemon-per-data-root lock
 *   connectSeqpacket(path) -> fd               conmon's attach socket is SOCK_SEQPACKET
 *   x32Abi() -> bool                           whether the kernel runs x32 system calls
 *   spawn(file, argv, envp, cwd, fds) -> pid   posix_spawn: no fork of the daemon's address space
 *   reap(pid) -> status|null                   waitpid(WNOHANG) for a child started by spawn
 *   pipe() -> [readFd, writeFd]                 pipe2(O_CLOEXEC): conmon's sync, start and attach pipes
 *   idmapMount(src, target, uidMap, gidMap, recursive)  an id-mapped bind of src at target (runc 1.1 has none)
 *   fionread(fd) -> number                  bytes waiting in a pipe or fifo (FIONREAD)
 *   sha256New() -> hasher / sha256Update(hasher, buffers, callback) / sha256Digest(hasher) -> Buffer
 *                                          SHA-256 with Node's own OpenSSL, updates on the libuv thread pool
 *                                          (off the main thread, no copy); one update in flight per hasher
 * Every failure throws an Error with `code` set to the errno name and `syscall`.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <sys/mount.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
#include <spawn.h>
#include <sched.h>
#include <pthread.h>
#include <linux/mount.h>
#include <openssl/evp.h>
#include <sys/ioctl.h>

/* The new mount API (Linux 5.12 for mount_setattr), called by number: glibc 2.36 has no wrappers we can rely on. */
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
struct berth_mount_attr { uint64_t attr_set, attr_clr, propagation, userns_fd; };

static const char *errno_name(int e) {
  switch (e) {
    case ENOENT: return "ENOENT"; case EEXIST: return "EEXIST"; case EPERM: return "EPERM";
    case EACCES: return "EACCES"; case EINVAL: return "EINVAL"; case EBUSY: return "EBUSY";
    case ENODATA: return "ENODATA"; case ENOTSUP: return "ENOTSUP"; case ENOTDIR: return "ENOTDIR";
    case EWOULDBLOCK: return "EWOULDBLOCK"; case ECONNREFUSED: return "ECONNREFUSED";
    case ENAMETOOLONG: return "ENAMETOOLONG"; case ENOSPC: return "ENOSPC"; case ERANGE: return "ERANGE";
    case ECHILD: return "ECHILD"; case ENOEXEC: return "ENOEXEC"; case E2BIG: return "E2BIG";
    case ESRCH: return "ESRCH"; case ENOSYS: return "ENOSYS"; case EBADF: return "EBADF";
    case EOVERFLOW: return "EOVERFLOW"; case ENOMEM: return "ENOMEM"; case EXDEV: return "EXDEV";
    default: return "EUNKNOWN";
  }
}

static napi_value throw_errno(napi_env env, const char *syscall, const char *path) {
  int e = errno;
  char msg[4200];
  snprintf(msg, sizeof msg, "%s: %s%s%s", errno_name(e), strerror(e), path ? ", " : "", path ? path : "");
  napi_value code, message, err, sys, num;
  napi_create_string_utf8(env, errno_name(e), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, code, message, &err);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sys);
  napi_set_named_property(env, err, "syscall", sys);
  napi_create_int32(env, -e, &num);
  napi_set_named_property(env, err, "errno", num);
  napi_throw(env, err);
  return NULL;
}

/* Copy a JS string argument into a malloc'd buffer (NULL for null/undefined). */
static char *get_string(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_string) return NULL;
  size_t len;
  napi_get_value_string_utf8(env, v, NULL, 0, &len);
  char *s = malloc(len + 1);
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static napi_value undefined(napi_env env) { napi_value u; napi_get_undefined(env, &u); return u; }

static napi_value js_mknod(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *path = get_string(env, argv[0]);
  uint32_t mode = 0, dev = 0;
  napi_get_value_uint32(env, argv[1], &mode);
  napi_get_value_uint32(env, argv[2], &dev);
  if (mknod(path, mode, (dev_t)dev) != 0) { napi_value r = throw_errno(env, "mknod", path); free(path); return r; }
  free(path);
  return undefined(env);
}

static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *path = get_string(env, argv[0]);
  char *name = get_string(env, argv[1]);
  void *data; size_t len;
  napi_get_buffer_info(env, argv[2], &data, &len);
  int rc = lsetxattr(path, name, data, len, 0);
  napi_value r = undefined(env);
  if (rc != 0) r = throw_errno(env, "lsetxattr", path);
  free(path); free(name);
  return r;
}

static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *path = get_string(env, argv[0]);
  char *name = get_string(env, argv[1]);
  napi_value r;
  ssize_t n = lgetxattr(path, name, NULL, 0);
  if (n < 0) {
    if (errno == ENODATA || errno == ENOTSUP) { napi_get_null(env, &r); }
    else r = throw_errno(env, "lgetxattr", path);
  } else {
    void *buf; napi_create_buffer(env, n, &buf, &r);
    if (n > 0 && lgetxattr(path, name, buf, n) < 0) r = throw_errno(env, "lgetxattr", path);
  }
  free(path); free(name);
  return r;
}

static napi_value js_llistxattr(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *path = get_string(env, argv[0]);
  napi_value arr; napi_create_array(env, &arr);
  ssize_t n = llistxattr(path, NULL, 0);
  if (n < 0) {
    if (errno != ENOTSUP) { napi_value r = throw_errno(env, "llistxattr", path); free(path); return r; }
    free(path); return arr;
  }
  char *buf = malloc(n + 1);
  n = llistxattr(path, buf, n);
  uint32_t i = 0;
  for (ssize_t off = 0; n > 0 && off < n; off += strlen(buf + off) + 1) {
    napi_value s; napi_create_string_utf8(env, buf + off, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, i++, s);
  }
  free(buf); free(path);
  return arr;
}

static napi_value js_mount(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *src = get_string(env, argv[0]);
  char *target = get_string(env, argv[1]);
  char *fstype = get_string(env, argv[2]);
  uint32_t flags = 0; napi_get_value_uint32(env, argv[3], &flags);
  char *data = argc > 4 ? get_string(env, argv[4]) : NULL;
  napi_value r = undefined(env);
  if (mount(src, target, fstype, flags, data) != 0) r = throw_errno(env, "mount", target);
  free(src); free(target); free(fstype); free(data);
  return r;
}

static napi_value js_umount2(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *target = get_string(env, argv[0]);
  uint32_t flags = 0; napi_get_value_uint32(env, argv[1], &flags);
  napi_value r = undefined(env);
  if (umount2(target, flags) != 0) r = throw_errno(env, "umount2", target);
  free(target);
  return r;
}

static napi_value js_flock(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd = -1; napi_get_value_int32(env, argv[0], &fd);
  napi_value r;
  if (flock(fd, LOCK_EX | LOCK_NB) == 0) { napi_get_boolean(env, true, &r); return r; }
  if (errno == EWOULDBLOCK) { napi_get_boolean(env, false, &r); return r; }
  return throw_errno(env, "flock", NULL);
}

static napi_value js_connect_seqpacket(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *path = get_string(env, argv[0]);
  struct sockaddr_un addr; memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) { errno = ENAMETOOLONG; napi_value r = throw_errno(env, "connect", path); free(path); return r; }
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) { napi_value r = throw_errno(env, "socket", path); free(path); return r; }
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    napi_value r = throw_errno(env, "connect", path); close(fd); free(path); return r;
  }
  free(path);
  napi_value r; napi_create_int32(env, fd, &r);
  return r;
}

/*
 * Whether the kernel serves the x32 ABI (CONFIG_X86_X32_ABI): an x32
 * getpid, which a kernel without it answers with ENOSYS. Only asked when
 * this process has no seccomp filter of its own (the caller checks), as a
 * filter without the x32 architecture would kill the caller instead.
 */
static napi_value js_x32_abi(napi_env env, napi_callback_info info) {
  (void)info;
  bool supported = false;
#if defined(__x86_64__)
  supported = syscall(0x40000000 | SYS_getpid) >= 0;
#endif
  napi_value r; napi_get_boolean(env, supported, &r);
  return r;
}

/* A JS array of strings as a NULL-terminated, malloc'd vector (freed by free_strings). */
static char **get_strings(napi_env env, napi_value arr) {
  uint32_t n = 0;
  napi_get_array_length(env, arr, &n);
  char **v = calloc(n + 1, sizeof *v);
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    napi_get_element(env, arr, i, &item);
    v[i] = get_string(env, item);
  }
  return v;
}

static void free_strings(char **v) {
  if (!v) return;
  for (char **p = v; *p; p++) free(*p);
  free(v);
}

/*
 * Start a program the way libuv would (signal dispositions back to default,
 * nothing blocked), with fds[i] as its descriptor i, but through posix_spawn:
 * glibc's clone(CLONE_VM|CLONE_VFORK) never copies the daemon's page tables,
 * which a fork of a Node process with tens of MiB resident spends about a
 * millisecond on, on the event loop, at every container start. The caller
 * reaps the child with reap(). Other descriptors are close-on-exec, as Node
 * opens everything.
 */
static napi_value js_spawn(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *file = get_string(env, argv[0]);
  char **args = get_strings(env, argv[1]);
  char **envp = get_strings(env, argv[2]);
  char *cwd = get_string(env, argv[3]);
  uint32_t nfds = 0;
  napi_get_array_length(env, argv[4], &nfds);
  /* The sources are first copied above every target, so that no dup2 of the
     child overwrites a source a later one still needs (a daemon started with
     its stdio closed gets low numbers from open). */
  int *high = calloc(nfds + 1, sizeof *high);

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  if (cwd) posix_spawn_file_actions_addchdir_np(&actions, cwd);
  int rc = 0;
  for (uint32_t i = 0; i < nfds; i++) {
    napi_value item; int32_t fd = -1;
    napi_get_element(env, argv[4], i, &item);
    napi_get_value_int32(env, item, &fd);
    high[i] = fcntl(fd, F_DUPFD_CLOEXEC, (int)nfds);
    if (high[i] < 0) { rc = errno; break; }
    posix_spawn_file_actions_adddup2(&actions, high[i], (int)i);
  }
  pid_t pid = 0;
  if (rc == 0) rc = posix_spawn(&pid, file, &actions, &attr, args, envp);
  for (uint32_t i = 0; i < nfds; i++) if (high[i] > 0) close(high[i]);
  free(high);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  napi_value r;
  if (rc != 0) {
    errno = rc;
    r = throw_errno(env, "posix_spawn", file);
  } else {
    napi_create_int32(env, pid, &r);
  }
  free(file); free(cwd); free_strings(args); free_strings(envp);
  return r;
}

static napi_value js_pipe(napi_env env, napi_callback_info info) {
  (void)info;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return throw_errno(env, "pipe2", NULL);
  napi_value r, a, b;
  napi_create_array_with_length(env, 2, &r);
  napi_create_int32(env, fds[0], &a);
  napi_create_int32(env, fds[1], &b);
  napi_set_element(env, r, 0, a);
  napi_set_element(env, r, 1, b);
  return r;
}

/* waitpid(pid, WNOHANG): null while it runs, else { code } or { signal }. */
static napi_value js_reap(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t pid = 0; napi_get_value_int32(env, argv[0], &pid);
  int status = 0;
  pid_t got = waitpid(pid, &status, WNOHANG);
  if (got < 0) return throw_errno(env, "waitpid", NULL);
  napi_value r;
  if (got == 0) { napi_get_null(env, &r); return r; }
  napi_create_object(env, &r);
  napi_value n;
  if (WIFEXITED(status)) { napi_create_int32(env, WEXITSTATUS(status), &n); napi_set_named_property(env, r, "code", n); }
  else { napi_create_int32(env, WTERMSIG(status), &n); napi_set_named_property(env, r, "signal", n); }
  return r;
}

/*
 * The child that holds a user namespace while its id maps are written: it
 * shares the daemon's memory (CLONE_VM: no copy of its page tables) and
 * runs on its own small stack with every signal blocked, so it touches
 * nothing of the daemon's but waits in a raw system call (the libc
 * wrappers are cancellation points that would write the daemon's thread
 * descriptor) until SIGKILL ends it.
 */
static int userns_holder(void *arg) {
  (void)arg;
  for (;;) syscall(SYS_ppoll, NULL, 0, NULL, NULL, 0);
  return 0;
}

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t len = strlen(text);
  ssize_t n = write(fd, text, len);
  int e = errno;
  close(fd);
  if (n != (ssize_t)len) { errno = n < 0 ? e : EIO; return -1; }
  return 0;
}

/*
 * A user namespace whose uid_map and gid_map are the given texts (lines of
 * "inside outside count"); returns an fd of it, or -1 with errno and
 * *failed naming the step. The namespace lives on through the fd once its
 * holder is gone.
 */
static int make_userns(const char *uid_map, const char *gid_map, const char **failed) {
  const size_t stack_size = 64 * 1024;
  char *stack = malloc(stack_size);
  if (!stack) { *failed = "malloc"; return -1; }
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = clone(userns_holder, stack + stack_size, CLONE_VM | CLONE_NEWUSER | SIGCHLD, NULL);
  int e = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (pid < 0) { free(stack); errno = e; *failed = "clone"; return -1; }
  char path[64];
  int fd = -1;
  snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
  if (write_file(path, uid_map) != 0) { *failed = "write uid_map"; goto out; }
  snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
  if (write_file(path, gid_map) != 0) { *failed = "write gid_map"; goto out; }
  snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) *failed = "open ns/user";
out:
  e = errno;
  kill(pid, SIGKILL);
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
  free(stack);
  errno = e;
  return fd;
}

/*
 * idmapMount(source, target, uidMap, gidMap, recursive): a clone of the
 * mount tree at source (open_tree OPEN_TREE_CLONE, AT_RECURSIVE when
 * recursive), id-mapped through a user namespace holding the maps
 * (mount_setattr MOUNT_ATTR_IDMAP), attached at target (move_mount). The
 * kernel reads a file's on-disk id as an id inside that namespace and shows
 * the id outside: a map line "2000 1000 1" shows the host's 2000 as 1000,
 * and a 1000 writing through the mount creates files owned by 2000.
 */
static napi_value js_idmap_mount(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *source = get_string(env, argv[0]);
  char *target = get_string(env, argv[1]);
  char *uid_map = get_string(env, argv[2]);
  char *gid_map = get_string(env, argv[3]);
  bool recursive = false;
  napi_get_value_bool(env, argv[4], &recursive);
  napi_value r = undefined(env);
  const char *failed = NULL;
  const char *path = source;
  int tree = -1;
  int ns = (source && target && uid_map && gid_map) ? make_userns(uid_map, gid_map, &failed) : (errno = EINVAL, failed = "idmapMount", -1);
  if (ns < 0) goto out;
  tree = (int)syscall(SYS_open_tree, AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
  if (tree < 0) { failed = "open_tree"; goto out; }
  struct berth_mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)ns };
  if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof attr) != 0) { failed = "mount_setattr"; goto out; }
  path = target;
  if (syscall(SYS_move_mount, tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) != 0) { failed = "move_mount"; goto out; }
  failed = NULL;
out:
  if (failed) r = throw_errno(env, failed, path);
  if (tree >= 0) close(tree);
  if (ns >= 0) close(ns);
  free(source); free(target); free(uid_map); free(gid_map);
  return r;
}

/*
 * Incremental SHA-256 whose updates run on the thread pool: a build context's
 * large files are hashed as they arrive without the daemon's main thread
 * doing it. The caller keeps one update in flight per hasher (and the
 * buffers alive: the callback's closure holds them).
 */
static void hasher_free(napi_env env, void *data, void *hint) { (void)env; (void)hint; EVP_MD_CTX_free((EVP_MD_CTX *)data); }

static napi_value js_sha256_new(napi_env env, napi_callback_info info) {
  (void)info;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
    EVP_MD_CTX_free(ctx);
    napi_throw_error(env, "ENOMEM", "sha256: cannot make a digest context");
    return NULL;
  }
  napi_value ext;
  napi_create_external(env, ctx, hasher_free, NULL, &ext);
  return ext;
}

typedef struct {
  napi_async_work work;
  napi_ref callback;
  napi_ref hasher;
  EVP_MD_CTX *ctx;
  size_t count;
  const void **data;
  size_t *length;
  int ok;
} hash_job;

static void hash_execute(napi_env env, void *arg) {
  (void)env;
  hash_job *job = arg;
  job->ok = 1;
  for (size_t i = 0; i < job->count && job->ok; i++) job->ok = EVP_DigestUpdate(job->ctx, job->data[i], job->length[i]) == 1;
}

static void hash_complete(napi_env env, napi_status status, void *arg) {
  hash_job *job = arg;
  napi_value cb, global, argv[1];
  napi_get_reference_value(env, job->callback, &cb);
  napi_get_global(env, &global);
  if (status == napi_ok && job->ok) napi_get_null(env, &argv[0]);
  else {
    napi_value msg;
    napi_create_string_utf8(env, "sha256 update failed", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &argv[0]);
  }
  napi_delete_reference(env, job->callback);
  napi_delete_reference(env, job->hasher);
  napi_delete_async_work(env, job->work);
  free(job->data); free(job->length); free(job);
  napi_call_function(env, global, cb, 1, argv, NULL);
}

static napi_value js_sha256_update(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *ctx;
  uint32_t count;
  if (argc < 3 || napi_get_value_external(env, argv[0], &ctx) != napi_ok || napi_get_array_length(env, argv[1], &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "sha256Update(hasher, buffers, callback)");
    return NULL;
  }
  hash_job *job = calloc(1, sizeof *job);
  job->data = calloc(count ? count : 1, sizeof *job->data);
  job->length = calloc(count ? count : 1, sizeof *job->length);
  job->ctx = ctx;
  job->count = count;
  for (uint32_t i = 0; i < count; i++) {
    napi_value el;
    void *d; size_t n;
    napi_get_element(env, argv[1], i, &el);
    if (napi_get_buffer_info(env, el, &d, &n) != napi_ok) {
      free(job->data); free(job->length); free(job);
      napi_throw_type_error(env, NULL, "sha256Update: buffers must be Buffers");
      return NULL;
    }
    job->data[i] = d; job->length[i] = n;
  }
  napi_value name;
  napi_create_string_utf8(env, "berth.sha256", NAPI_AUTO_LENGTH, &name);
  napi_create_reference(env, argv[2], 1, &job->callback);
  napi_create_reference(env, argv[0], 1, &job->hasher);
  napi_create_async_work(env, NULL, name, hash_execute, hash_complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return undefined(env);
}

static napi_value js_sha256_digest(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *ctx;
  if (argc < 1 || napi_get_value_external(env, argv[0], &ctx) != napi_ok) {
    napi_throw_type_error(env, NULL, "sha256Digest(hasher)");
    return NULL;
  }
  unsigned char out[32];
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(ctx, out, &n) != 1) {
    napi_throw_error(env, NULL, "sha256: digest failed");
    return NULL;
  }
  napi_value buf;
  napi_create_buffer_copy(env, n, out, NULL, &buf);
  return buf;
}

static napi_value js_fionread(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd = -1; napi_get_value_int32(env, argv[0], &fd);
  int n = 0;
  if (ioctl(fd, FIONREAD, &n) != 0) return throw_errno(env, "ioctl", NULL);
  napi_value r;
  napi_create_int32(env, n, &r);
  return r;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"mknod", 0, js_mknod, 0, 0, 0, napi_default, 0},
    {"lsetxattr", 0, js_lsetxattr, 0, 0, 0, napi_default, 0},
    {"lgetxattr", 0, js_lgetxattr, 0, 0, 0, napi_default, 0},
    {"llistxattr", 0, js_llistxattr, 0, 0, 0, napi_default, 0},
    {"mount", 0, js_mount, 0, 0, 0, napi_default, 0},
    {"umount2", 0, js_umount2, 0, 0, 0, napi_default, 0},
    {"flock", 0, js_flock, 0, 0, 0, napi_default, 0},
    {"connectSeqpacket", 0, js_connect_seqpacket, 0, 0, 0, napi_default, 0},
    {"x32Abi", 0, js_x32_abi, 0, 0, 0, napi_default, 0},
    {"spawn", 0, js_spawn, 0, 0, 0, napi_default, 0},
    {"reap", 0, js_reap, 0, 0, 0, napi_default, 0},
    {"pipe", 0, js_pipe, 0, 0, 0, napi_default, 0},
    {"idmapMount", 0, js_idmap_mount, 0, 0, 0, napi_default, 0},
    {"fionread", 0, js_fionread, 0, 0, 0, napi_default, 0},
    {"sha256New", 0, js_sha256_new, 0, 0, 0, napi_default, 0},
    {"sha256Update", 0, js_sha256_update, 0, 0, 0, napi_default, 0},
    {"sha256Digest", 0, js_sha256_digest, 0, 0, 0, napi_default, 0},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
