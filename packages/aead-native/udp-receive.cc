// Native receive for one UDP socket: a dup() of its fd watched by a uv_poll_t on the env's loop.
// On readable, recvmmsg(2) takes every waiting datagram (MSG_DONTWAIT) into a slab of slots that
// JS allocated and shares, and JS is called once per batch with the count: no Buffer, no rinfo
// object and no call into JS per datagram (Node's dgram makes all three, and a second recvmsg
// that ends in EAGAIN). Per slot, `meta` holds [length, source port]; length is -1 for a datagram
// longer than its slot (MSG_TRUNC, dropped). The source address is read on demand (Address).
// Linux only (recvmmsg); elsewhere the functions are not defined and callers keep Node's dgram.
#include "udp-receive.h"

#ifdef __linux__

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cstdint>
#include <cstring>

#include "napi-helpers.h"

namespace {

using napi_helpers::TypedArrayData;

constexpr uint32_t kMaxSlots = 64;
// batches taken per wake-up before going back to the loop (level-triggered: it wakes again)
constexpr int kMaxBatchesPerWake = 8;

struct Receiver {
  napi_env env;
  uv_poll_t poll;
  int fd;
  bool stopped;
  napi_ref callback;
  napi_ref slab_ref;
  napi_ref meta_ref;
  napi_async_context async_context;
  napi_async_cleanup_hook_handle cleanup;
  uint8_t* slab;
  size_t slot_size;
  uint32_t slots;
  int32_t* meta;
  mmsghdr messages[kMaxSlots];
  iovec vectors[kMaxSlots];
  sockaddr_storage sources[kMaxSlots];
};

// The last step, also when the thread's env ends: Node waits for the async cleanup hook to be
// removed before it tears the env down and unloads the addon, so this callback still exists.
void OnClosed(uv_handle_t* handle) {
  Receiver* r = static_cast<Receiver*>(handle->data);
  napi_remove_async_cleanup_hook(r->cleanup);
  delete r;
}

// Stops watching and closes the dup; the memory goes when libuv has closed the handle.
// uv_poll_stop removes the dup from epoll (EPOLL_CTL_DEL) before the fd is closed.
void StopReceiver(Receiver* r, bool env_alive) {
  if (r->stopped) return;
  r->stopped = true;
  uv_poll_stop(&r->poll);
  close(r->fd);
  if (env_alive) {
    napi_delete_reference(r->env, r->callback);
    napi_delete_reference(r->env, r->slab_ref);
    napi_delete_reference(r->env, r->meta_ref);
    napi_async_destroy(r->env, r->async_context);
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&r->poll), OnClosed);
}

// The env is ending (its thread exits): stop now unless a stop is already under way.
void OnEnvCleanup(napi_async_cleanup_hook_handle, void* data) {
  StopReceiver(static_cast<Receiver*>(data), false);
}

void CallJs(Receiver* r, int32_t count) {
  napi_env env = r->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value callback, receiver_this, argv[1];
  napi_get_reference_value(env, r->callback, &callback);
  napi_get_global(env, &receiver_this);  // napi_make_callback wants an object
  napi_create_int32(env, count, &argv[0]);
  // napi_make_callback (not napi_call_function): Node runs the microtask queue and
  // process.nextTick callbacks after it, as after any other I/O callback
  napi_status status =
      napi_make_callback(env, r->async_context, receiver_this, callback, 1, argv, nullptr);
  if (status == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
}

void OnReadable(uv_poll_t* handle, int status, int /*events*/) {
  Receiver* r = static_cast<Receiver*>(handle->data);
  if (r->stopped) return;
  if (status < 0) {
    CallJs(r, status);  // a libuv error (negative errno)
    return;
  }
  for (int batch = 0; batch < kMaxBatchesPerWake && !r->stopped; batch++) {
    for (uint32_t i = 0; i < r->slots; i++) {
      msghdr& h = r->messages[i].msg_hdr;
      h.msg_name = &r->sources[i];
      h.msg_namelen = sizeof(sockaddr_storage);
      h.msg_iov = &r->vectors[i];
      h.msg_iovlen = 1;
      h.msg_control = nullptr;
      h.msg_controllen = 0;
      h.msg_flags = 0;
      r->messages[i].msg_len = 0;
    }
    int n = recvmmsg(r->fd, r->messages, r->slots, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) CallJs(r, -errno);
      return;
    }
    if (n == 0) return;
    for (int i = 0; i < n; i++) {
      const bool truncated = (r->messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
      r->meta[2 * i] = truncated ? -1 : static_cast<int32_t>(r->messages[i].msg_len);
      const sockaddr_storage& s = r->sources[i];
      uint16_t port = 0;
      if (s.ss_family == AF_INET) port = ntohs(reinterpret_cast<const sockaddr_in&>(s).sin_port);
      if (s.ss_family == AF_INET6) port = ntohs(reinterpret_cast<const sockaddr_in6&>(s).sin6_port);
      r->meta[2 * i + 1] = port;
    }
    CallJs(r, n);
    if (static_cast<uint32_t>(n) < r->slots) return;
  }
}

Receiver* Unwrap(napi_env env, napi_value value) {
  void* data = nullptr;
  if (napi_get_value_external(env, value, &data) != napi_ok) return nullptr;
  return static_cast<Receiver*>(data);
}

// start(fd, slab: Uint8Array, slotSize, meta: Int32Array, onBatch(count)) -> receiver
// Takes a dup of fd: the caller stops its own reading of fd and keeps sending on it.
napi_value Start(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t fd = -1;
  uint32_t slot_size = 0;
  void* slab = nullptr;
  void* meta = nullptr;
  size_t slab_length = 0;
  size_t meta_length = 0;
  napi_valuetype callback_type = napi_undefined;
  if (argc < 5 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      !TypedArrayData(env, argv[1], napi_uint8_array, &slab, &slab_length) ||
      napi_get_value_uint32(env, argv[2], &slot_size) != napi_ok || slot_size == 0 ||
      !TypedArrayData(env, argv[3], napi_int32_array, &meta, &meta_length) ||
      napi_typeof(env, argv[4], &callback_type) != napi_ok || callback_type != napi_function) {
    napi_throw_error(env, "ERR_INVALID_ARG_TYPE",
          "expected (fd, Uint8Array slab, slotSize, Int32Array meta, onBatch)");
    return nullptr;
  }
  uint32_t slots = static_cast<uint32_t>(slab_length / slot_size);
  if (slots > kMaxSlots) slots = kMaxSlots;
  if (slots == 0 || meta_length < 2 * static_cast<size_t>(slots)) {
    napi_throw_error(env, "ERR_OUT_OF_RANGE", "slab must hold one slot and meta two int32 per slot");
    return nullptr;
  }
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    napi_throw_error(env, "ERR_UDP_RECEIVE", "no event loop");
    return nullptr;
  }
  const int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) {
    napi_throw_error(env, "ERR_UDP_RECEIVE", strerror(errno));
    return nullptr;
  }
  Receiver* r = new Receiver();
  r->env = env;
  r->fd = copy;
  r->stopped = false;
  r->slab = static_cast<uint8_t*>(slab);
  r->slot_size = slot_size;
  r->slots = slots;
  r->meta = static_cast<int32_t*>(meta);
  for (uint32_t i = 0; i < slots; i++) {
    r->vectors[i].iov_base = r->slab + static_cast<size_t>(i) * slot_size;
    r->vectors[i].iov_len = slot_size;
  }
  const int init = uv_poll_init_socket(loop, &r->poll, copy);
  if (init != 0) {
    close(copy);
    delete r;
    napi_throw_error(env, "ERR_UDP_RECEIVE", uv_strerror(init));
    return nullptr;
  }
  r->poll.data = r;
  napi_add_async_cleanup_hook(env, OnEnvCleanup, r, &r->cleanup);
  napi_create_reference(env, argv[4], 1, &r->callback);
  napi_create_reference(env, argv[1], 1, &r->slab_ref);
  napi_create_reference(env, argv[3], 1, &r->meta_ref);
  napi_value resource, name;
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "ConclaveUdpReceive", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &r->async_context);
  const int started = uv_poll_start(&r->poll, UV_READABLE, OnReadable);
  if (started != 0) {
    StopReceiver(r, true);
    napi_throw_error(env, "ERR_UDP_RECEIVE", uv_strerror(started));
    return nullptr;
  }
  napi_value external;
  napi_create_external(env, r, nullptr, nullptr, &external);
  return external;
}

// stop(receiver): idempotent. The receiver must not be used afterwards.
napi_value Stop(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Receiver* r = argc == 1 ? Unwrap(env, argv[0]) : nullptr;
  if (r == nullptr) {
    napi_throw_error(env, "ERR_INVALID_ARG_TYPE", "expected a receiver");
    return nullptr;
  }
  StopReceiver(r, true);
  return nullptr;
}

// address(receiver, slot) -> the source address of the slot's datagram of the last batch, as
// Node's dgram gives it without the IPv6 zone ('192.0.2.1', '2001:db8::1'); '' if unknown.
napi_value Address(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Receiver* r = argc == 2 ? Unwrap(env, argv[0]) : nullptr;
  uint32_t slot = 0;
  if (r == nullptr || napi_get_value_uint32(env, argv[1], &slot) != napi_ok || slot >= r->slots) {
    napi_throw_error(env, "ERR_INVALID_ARG_TYPE", "expected (receiver, slot)");
    return nullptr;
  }
  char text[INET6_ADDRSTRLEN] = "";
  const sockaddr_storage& s = r->sources[slot];
  if (s.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(s).sin_addr, text, sizeof text);
  } else if (s.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(s).sin6_addr, text, sizeof text);
  }
  napi_value result;
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result);
  return result;
}

}  // namespace

void DefineUdpReceive(napi_env env, napi_value exports) {
  napi_helpers::DefineMethods(env, exports,
                              {{"udpReceiveStart", Start},
                               {"udpReceiveStop", Stop},
                               {"udpReceiveAddress", Address}});
}

#else

void DefineUdpReceive(napi_env, napi_value) {}

#endif
