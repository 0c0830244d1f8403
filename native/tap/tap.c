/* Linux TAP devices for VM Net Lab: open a persistent TAP, read and write Ethernet frames, over plain Node-API.
 *
 * Plain Node-API (no V8, no libuv headers) keeps the build ABI-stable, so the same .node file loads in
 * Node and in Electron. Frames are always copied into new ArrayBuffers: Electron's V8 memory cage
 * forbids buffers that point at memory V8 did not allocate.
 *
 * A watcher is a thread that poll()s the non-blocking descriptor together with an eventfd (to stop it)
 * and hands each frame to JavaScript through a thread-safe function, so the event loop never blocks and
 * never spins.
 */
#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#endif

/* Largest frame read: more than any MTU a TAP can carry, so nothing is silently truncated. */
#define READ_MAX 65536
/* Frames waiting for JavaScript; past it the reader drops (and counts) rather than grow without bound. */
#define QUEUE_MAX 4096
/* Frames read per wake-up before polling again, so stopping stays prompt under a flood. */
#define BURST 64

#define CHECK(env, call)                                              \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error((env), "EADDON", "Node-API call failed: " #call); \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

/* Throws an Error like Node's system errors: message "syscall name: text", code "EPERM", errno, syscall. */
static napi_value throw_errno(napi_env env, int err, const char *syscall, const char *what) {
  char msg[256];
  const char *code = "EUNKNOWN";
  switch (err) {
    case EPERM: code = "EPERM"; break;
    case EACCES: code = "EACCES"; break;
    case ENOENT: code = "ENOENT"; break;
    case ENODEV: code = "ENODEV"; break;
    case ENXIO: code = "ENXIO"; break;
    case EBUSY: code = "EBUSY"; break;
    case EINVAL: code = "EINVAL"; break;
    case EBADF: code = "EBADF"; break;
    case EIO: code = "EIO"; break;
    case EMFILE: code = "EMFILE"; break;
    case ENFILE: code = "ENFILE"; break;
    case ENAMETOOLONG: code = "ENAMETOOLONG"; break;
    case ENOMEM: code = "ENOMEM"; break;
    case EFAULT: code = "EFAULT"; break;
    default: break;
  }
  if (what != NULL && what[0] != '\0')
    snprintf(msg, sizeof msg, "%s %s: %s", syscall, what, strerror(err));
  else
    snprintf(msg, sizeof msg, "%s: %s", syscall, strerror(err));
  napi_value code_v, msg_v, error, errno_v, syscall_v;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_v) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &msg_v) != napi_ok) return NULL;
  if (napi_create_error(env, code_v, msg_v, &error) != napi_ok) return NULL;
  if (napi_create_int32(env, err, &errno_v) == napi_ok) napi_set_named_property(env, error, "errno", errno_v);
  if (napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_v) == napi_ok) napi_set_named_property(env, error, "syscall", syscall_v);
  napi_throw(env, error);
  return NULL;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < want) {
    napi_throw_type_error(env, "EARGS", "missing argument");
    return 0;
  }
  return 1;
}

static int get_fd(napi_env env, napi_value v, int *fd) {
  if (napi_get_value_int32(env, v, fd) != napi_ok || *fd < 0) {
    napi_throw_type_error(env, "EARGS", "a file descriptor (a whole number) is expected");
    return 0;
  }
  return 1;
}

/* A new Uint8Array over a new ArrayBuffer holding a copy of the bytes. */
static napi_value copy_frame(napi_env env, const void *data, size_t len) {
  void *dst = NULL;
  napi_value ab, ta;
  if (napi_create_arraybuffer(env, len, &dst, &ab) != napi_ok) return NULL;
  if (len > 0) memcpy(dst, data, len);
  if (napi_create_typedarray(env, napi_uint8_array, len, ab, 0, &ta) != napi_ok) return NULL;
  return ta;
}

#ifdef __linux__

/* ---- open, read, write, close -------------------------------------------------------------------- */

/* open(name): the descriptor of an existing TAP device, non-blocking, frames without a packet-info header. */
static napi_value tap_open(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  char name[IFNAMSIZ + 1];
  size_t len = 0;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok) {
    napi_throw_type_error(env, "EARGS", "an interface name (a string) is expected");
    return NULL;
  }
  if (len == 0 || len >= IFNAMSIZ) return throw_errno(env, len == 0 ? EINVAL : ENAMETOOLONG, "open", name);
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return throw_errno(env, errno, "open", "/dev/net/tun");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, name, len);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "TUNSETIFF", name);
  }
  napi_value out;
  CHECK(env, napi_create_int32(env, fd, &out));
  return out;
}

/* read(fd): the next frame as a new Uint8Array, or null when none is waiting. */
static napi_value tap_read(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  static unsigned char buf[READ_MAX];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n >= 0) return copy_frame(env, buf, (size_t)n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      napi_value nul;
      CHECK(env, napi_get_null(env, &nul));
      return nul;
    }
    return throw_errno(env, errno, "read", "");
  }
}

/* write(fd, frame): true when the kernel took the frame; false when it had no room or the link is down. */
static napi_value tap_write(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int fd;
  if (!get_args(env, info, 2, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  bool is_ta = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_is_typedarray(env, argv[1], &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, "EARGS", "a frame (a Uint8Array) is expected");
    return NULL;
  }
  bool ok = false;
  for (;;) {
    ssize_t n = write(fd, data, length);
    if (n >= 0) {
      ok = true;
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EIO || errno == ENETDOWN) break;
    return throw_errno(env, errno, "write", "");
  }
  napi_value out;
  CHECK(env, napi_get_boolean(env, ok, &out));
  return out;
}

/* ---- watchers -------------------------------------------------------------------------------------- */

typedef struct watcher {
  struct watcher *next;
  napi_env env;
  int fd;
  int wake;
  pthread_t thread;
  napi_threadsafe_function tsfn;
  napi_ref on_error;
  /* Written by the reader thread only; read by JavaScript (a torn read of a counter is harmless). */
  volatile uint64_t dropped;
  int stopped;
} watcher;

/* One item for JavaScript: a frame (len >= 0) or an error (len < 0, -errno). */
typedef struct item {
  ssize_t len;
  unsigned char data[];
} item;

static watcher *watchers = NULL;

static watcher *find_watcher(int fd) {
  for (watcher *w = watchers; w != NULL; w = w->next)
    if (w->fd == fd) return w;
  return NULL;
}

static void *reader_main(void *arg) {
  watcher *w = (watcher *)arg;
  static __thread unsigned char buf[READ_MAX];
  struct pollfd fds[2];
  fds[0].fd = w->fd;
  fds[0].events = POLLIN;
  fds[1].fd = w->wake;
  fds[1].events = POLLIN;
  for (;;) {
    fds[0].revents = 0;
    fds[1].revents = 0;
    int r = poll(fds, 2, -1);
    if (r < 0) {
      if (errno == EINTR) continue;
      goto fail;
    }
    if (fds[1].revents != 0) return NULL;
    if (fds[0].revents & (POLLERR | POLLNVAL)) {
      errno = EBADF;
      goto fail;
    }
    for (int i = 0; i < BURST; i++) {
      ssize_t n = read(w->fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        goto fail;
      }
      item *it = (item *)malloc(sizeof(item) + (size_t)n);
      if (it == NULL) {
        w->dropped++;
        continue;
      }
      it->len = n;
      memcpy(it->data, buf, (size_t)n);
      napi_status s = napi_call_threadsafe_function(w->tsfn, it, napi_tsfn_nonblocking);
      if (s != napi_ok) {
        free(it);
        if (s == napi_closing) return NULL;
        w->dropped++;
      }
    }
  }
fail: {
  /* Non-blocking even here: JavaScript may be waiting in stop_watcher() to join this thread. */
  int err = errno;
  item *it = (item *)malloc(sizeof(item));
  if (it != NULL) {
    it->len = -(ssize_t)err;
    if (napi_call_threadsafe_function(w->tsfn, it, napi_tsfn_nonblocking) != napi_ok) free(it);
  }
  return NULL;
}
}

/* Runs on the JavaScript thread for each item the reader queued. */
static void deliver(napi_env env, napi_value js_cb, void *context, void *data) {
  item *it = (item *)data;
  watcher *w = (watcher *)context;
  if (env == NULL || js_cb == NULL) {
    free(it);
    return;
  }
  napi_value undef, arg, result;
  napi_get_undefined(env, &undef);
  if (it->len >= 0) {
    arg = copy_frame(env, it->data, (size_t)it->len);
    free(it);
    if (arg == NULL) return;
    if (napi_call_function(env, undef, js_cb, 1, &arg, &result) == napi_pending_exception) {
      napi_value e;
      napi_get_and_clear_last_exception(env, &e);
      napi_fatal_exception(env, e);
    }
    return;
  }
  int err = (int)-it->len;
  free(it);
  napi_value on_error = NULL;
  if (w->on_error == NULL || napi_get_reference_value(env, w->on_error, &on_error) != napi_ok || on_error == NULL) return;
  char msg[160];
  snprintf(msg, sizeof msg, "read: %s", strerror(err));
  napi_value msg_v, error;
  if (napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &msg_v) != napi_ok || napi_create_error(env, NULL, msg_v, &error) != napi_ok) return;
  if (napi_call_function(env, undef, on_error, 1, &error, &result) == napi_pending_exception) {
    napi_value e;
    napi_get_and_clear_last_exception(env, &e);
    napi_fatal_exception(env, e);
  }
}

static void finalize_watcher(napi_env env, void *data, void *hint) {
  (void)hint;
  watcher *w = (watcher *)data;
  if (w->on_error != NULL && env != NULL) napi_delete_reference(env, w->on_error);
  free(w);
}

/* Stops the thread and lets go of the thread-safe function; the watcher is freed by its finalizer. */
static void stop_watcher(watcher *w) {
  if (w->stopped) return;
  w->stopped = 1;
  uint64_t one = 1;
  ssize_t ignored = write(w->wake, &one, sizeof one);
  (void)ignored;
  pthread_join(w->thread, NULL);
  close(w->wake);
  for (watcher **p = &watchers; *p != NULL; p = &(*p)->next) {
    if (*p == w) {
      *p = w->next;
      break;
    }
  }
  napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
}

static void cleanup_hook(void *arg) {
  stop_watcher((watcher *)arg);
}

/* watch(fd, onFrame, onError): each frame read from fd is passed to onFrame(frame) on this thread. */
static napi_value tap_watch(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int fd;
  if (!get_args(env, info, 3, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  if (find_watcher(fd) != NULL) return throw_errno(env, EBUSY, "watch", "");
  watcher *w = (watcher *)calloc(1, sizeof(watcher));
  if (w == NULL) return throw_errno(env, ENOMEM, "watch", "");
  w->env = env;
  w->fd = fd;
  w->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (w->wake < 0) {
    int err = errno;
    free(w);
    return throw_errno(env, err, "eventfd", "");
  }
  if (napi_create_reference(env, argv[2], 1, &w->on_error) != napi_ok) w->on_error = NULL;
  napi_value name;
  napi_create_string_utf8(env, "vmnetlab-tap", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[1], NULL, name, QUEUE_MAX, 1, w, finalize_watcher, w, deliver, &w->tsfn) != napi_ok) {
    close(w->wake);
    if (w->on_error != NULL) napi_delete_reference(env, w->on_error);
    free(w);
    napi_throw_type_error(env, "EARGS", "onFrame must be a function");
    return NULL;
  }
  int err = pthread_create(&w->thread, NULL, reader_main, w);
  if (err != 0) {
    close(w->wake);
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
    return throw_errno(env, err, "pthread_create", "");
  }
  w->next = watchers;
  watchers = w;
  napi_add_env_cleanup_hook(env, cleanup_hook, w);
  napi_value undef;
  napi_get_undefined(env, &undef);
  return undef;
}

static void unwatch_fd(napi_env env, int fd) {
  watcher *w = find_watcher(fd);
  if (w == NULL) return;
  napi_remove_env_cleanup_hook(env, cleanup_hook, w);
  stop_watcher(w);
}

/* unwatch(fd): stops delivering frames from fd; returns how many the reader dropped for want of room. */
static napi_value tap_unwatch(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  watcher *w = find_watcher(fd);
  double dropped = w != NULL ? (double)w->dropped : 0;
  unwatch_fd(env, fd);
  napi_value out;
  CHECK(env, napi_create_double(env, dropped, &out));
  return out;
}

/* dropped(fd): frames the reader of fd dropped because JavaScript had fallen QUEUE_MAX frames behind. */
static napi_value tap_dropped(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  watcher *w = find_watcher(fd);
  napi_value out;
  CHECK(env, napi_create_double(env, w != NULL ? (double)w->dropped : 0, &out));
  return out;
}

/* close(fd): stops its watcher, if any, and closes the descriptor (the device itself stays: it is persistent). */
static napi_value tap_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  unwatch_fd(env, fd);
  if (close(fd) < 0 && errno != EINTR) return throw_errno(env, errno, "close", "");
  napi_value undef;
  napi_get_undefined(env, &undef);
  return undef;
}

#else /* not Linux */

static napi_value not_linux(napi_env env, napi_callback_info info) {
  (void)info;
  napi_throw_error(env, "ENOTSUP", "TAP devices are a Linux feature");
  return NULL;
}
#define tap_open not_linux
#define tap_read not_linux
#define tap_write not_linux
#define tap_watch not_linux
#define tap_unwatch not_linux
#define tap_dropped not_linux
#define tap_close not_linux

#endif

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, tap_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"read", NULL, tap_read, NULL, NULL, NULL, napi_enumerable, NULL},
      {"write", NULL, tap_write, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watch", NULL, tap_watch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unwatch", NULL, tap_unwatch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dropped", NULL, tap_dropped, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, tap_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
