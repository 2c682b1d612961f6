/*
 * berth native addon: the few system calls Node has no binding for.
 *   mknod(path, mode, dev)                 whiteouts are 0/0 character devices
 *   lsetxattr(path, name, buf) / lgetxattr(path, name) -> Buffer|null / llistxattr(path) -> string[]
 *   mount(source, target, fstype, flags, data) / umount2(target, flags)
 *   flock(fd, exclusiveNonBlocking) -> bool   the one-daemon-per-data-root lock
 *   connectSeqpacket(path) -> fd               conmon's attach socket is SOCK_SEQPACKET
 *   x32Abi() -> bool                           whether the kernel runs x32 system calls
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

static const char *errno_name(int e) {
  switch (e) {
    case ENOENT: return "ENOENT"; case EEXIST: return "EEXIST"; case EPERM: return "EPERM";
    case EACCES: return "EACCES"; case EINVAL: return "EINVAL"; case EBUSY: return "EBUSY";
    case ENODATA: return "ENODATA"; case ENOTSUP: return "ENOTSUP"; case ENOTDIR: return "ENOTDIR";
    case EWOULDBLOCK: return "EWOULDBLOCK"; case ECONNREFUSED: return "ECONNREFUSED";
    case ENAMETOOLONG: return "ENAMETOOLONG"; case ENOSPC: return "ENOSPC"; case ERANGE: return "ERANGE";
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
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
