// Native send on UDP sockets: a dup() of each socket's fd, and one call that sends a whole queue
// of datagrams (sendmmsg(2) per run of datagrams on the same socket, MSG_DONTWAIT, in queue order).
// JS copies the datagrams into a slab it shares and describes each in `meta` (kStride int32 per
// datagram: sender id, slab offset, length, sockaddr length, then the sockaddr itself, made once
// per destination by Address). Node's dgram makes, per datagram: an address lookup short-circuit
// via process.nextTick, a SendWrap, and a uv_udp_try_send; a fan-out of one packet to six peers
// makes six. Here it is one call into C++ for everything queued during a receive wake-up.
// A datagram the kernel refuses (EAGAIN/ENOBUFS: the socket's send buffer is full; or an ICMP
// error reported on the socket) is counted and dropped, as a UDP stack drops under load.
// Linux only (sendmmsg); elsewhere the functions are not defined and callers keep Node's dgram.
#include "udp-send.h"

#ifdef __linux__

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "napi-helpers.h"

namespace {

using napi_helpers::TypedArrayData;

constexpr uint32_t kStride = 12;  // int32 per queued datagram in meta
constexpr uint32_t kAddressWords = 7;  // sizeof(sockaddr_in6) == 28 octets
constexpr uint32_t kMaxBatch = 64;  // datagrams per sendmmsg call

// This env's (thread's) sockets: id -> dup'd fd. Closed with the socket, or when the env ends.
struct Senders {
  std::unordered_map<uint32_t, int> fds;
  uint32_t next_id = 1;
};

void CloseAll(void* data) {
  Senders* s = static_cast<Senders*>(data);
  for (auto& entry : s->fds) close(entry.second);
  delete s;
}

Senders* State(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<Senders*>(data);
}

// open(fd) -> sender id. Takes a dup of fd; the caller keeps its own socket as it was.
napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t fd = -1;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_error(env, "ERR_INVALID_ARG_TYPE", "expected (fd)");
    return nullptr;
  }
  Senders* s = State(env);
  if (s == nullptr) {
    napi_throw_error(env, "ERR_UDP_SEND", "no sender state");
    return nullptr;
  }
  const int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) {
    napi_throw_error(env, "ERR_UDP_SEND", strerror(errno));
    return nullptr;
  }
  const uint32_t id = s->next_id++;
  s->fds[id] = copy;
  napi_value result;
  napi_create_uint32(env, id, &result);
  return result;
}

// close(id): closes the dup (idempotent).
napi_value Close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  uint32_t id = 0;
  Senders* s = State(env);
  if (argc < 1 || napi_get_value_uint32(env, argv[0], &id) != napi_ok || s == nullptr) {
    napi_throw_error(env, "ERR_INVALID_ARG_TYPE", "expected (id)");
    return nullptr;
  }
  auto found = s->fds.find(id);
  if (found != s->fds.end()) {
    close(found->second);
    s->fds.erase(found);
  }
  return nullptr;
}

// address(host, port, out: Int32Array(8)) -> true if host is a numeric IPv4 or IPv6 address:
// out[0] = the sockaddr's length, out[1..7] = the sockaddr (sockaddr_in or sockaddr_in6).
napi_value Address(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  char host[INET6_ADDRSTRLEN + 1] = "";
  size_t host_length = 0;
  uint32_t port = 0;
  void* out = nullptr;
  size_t out_length = 0;
  if (argc < 3 ||
      napi_get_value_string_utf8(env, argv[0], host, sizeof host, &host_length) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &port) != napi_ok || port > 65535 ||
      !TypedArrayData(env, argv[2], napi_int32_array, &out, &out_length) ||
      out_length < 1 + kAddressWords) {
    napi_throw_error(env, "ERR_INVALID_ARG_TYPE", "expected (host, port, Int32Array(8))");
    return nullptr;
  }
  int32_t* words = static_cast<int32_t*>(out);
  sockaddr_in6 storage;  // the larger of the two
  std::memset(&storage, 0, sizeof storage);
  socklen_t length = 0;
  sockaddr_in* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host, &storage.sin6_addr) == 1) {
    storage.sin6_family = AF_INET6;
    storage.sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof(sockaddr_in6);
  }
  // (an IPv6 zone, "fe80::1%eth0", is not parsed: the caller keeps Node's dgram for it)
  words[0] = static_cast<int32_t>(length);
  std::memcpy(words + 1, &storage, sizeof storage);
  napi_value result;
  napi_get_boolean(env, length != 0, &result);
  return result;
}

// flush(slab: Uint8Array, meta: Int32Array, count, status: Int32Array(3)) -> datagrams sent.
// Sends the `count` datagrams of the queue in order; status = [dropped, last errno, sendmmsg
// calls]. A datagram whose sender is closed, or that the kernel refuses, is dropped and counted.
napi_value Flush(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* slab_data = nullptr;
  void* meta_data = nullptr;
  void* status_data = nullptr;
  size_t slab_length = 0, meta_length = 0, status_length = 0;
  uint32_t count = 0;
  Senders* s = State(env);
  if (argc < 4 || s == nullptr ||
      !TypedArrayData(env, argv[0], napi_uint8_array, &slab_data, &slab_length) ||
      !TypedArrayData(env, argv[1], napi_int32_array, &meta_data, &meta_length) ||
      napi_get_value_uint32(env, argv[2], &count) != napi_ok ||
      static_cast<size_t>(count) * kStride > meta_length ||
      !TypedArrayData(env, argv[3], napi_int32_array, &status_data, &status_length) ||
      status_length < 3) {
    napi_throw_error(env, "ERR_INVALID_ARG_TYPE", "expected (slab, meta, count, Int32Array(3) status)");
    return nullptr;
  }
  uint8_t* slab = static_cast<uint8_t*>(slab_data);
  const int32_t* meta = static_cast<const int32_t*>(meta_data);
  int32_t* status = static_cast<int32_t*>(status_data);
  status[0] = 0;
  status[1] = 0;
  status[2] = 0;
  mmsghdr messages[kMaxBatch];
  iovec vectors[kMaxBatch];
  sockaddr_in6 addresses[kMaxBatch];
  uint32_t sent = 0;
  uint32_t i = 0;
  while (i < count) {
    // one run: consecutive datagrams on the same socket, at most kMaxBatch
    const uint32_t id = static_cast<uint32_t>(meta[i * kStride]);
    auto found = s->fds.find(id);
    uint32_t n = 0;
    while (i + n < count && n < kMaxBatch &&
           static_cast<uint32_t>(meta[(i + n) * kStride]) == id) {
      const int32_t* m = meta + (i + n) * kStride;
      const size_t offset = static_cast<uint32_t>(m[1]);
      const size_t length = static_cast<uint32_t>(m[2]);
      const socklen_t address_length = static_cast<socklen_t>(m[3]);
      if (offset + length > slab_length || address_length > sizeof(sockaddr_in6)) break;
      std::memcpy(&addresses[n], m + 4, sizeof(sockaddr_in6));
      vectors[n].iov_base = slab + offset;
      vectors[n].iov_len = length;
      msghdr& h = messages[n].msg_hdr;
      h.msg_name = &addresses[n];
      h.msg_namelen = address_length;
      h.msg_iov = &vectors[n];
      h.msg_iovlen = 1;
      h.msg_control = nullptr;
      h.msg_controllen = 0;
      h.msg_flags = 0;
      messages[n].msg_len = 0;
      n++;
    }
    if (n == 0 || found == s->fds.end()) {
      // a malformed entry, or the socket is closed: drop one (or the run) and go on
      const uint32_t skip = n == 0 ? 1 : n;
      status[0] += static_cast<int32_t>(skip);
      if (found == s->fds.end()) status[1] = EBADF;
      i += skip;
      continue;
    }
    uint32_t done = 0;
    while (done < n) {
      const int r = sendmmsg(found->second, messages + done, n - done, MSG_DONTWAIT);
      status[2]++;
      if (r < 0) {
        if (errno == EINTR) continue;
        // this datagram is refused (full send buffer, ICMP error): drop it, go on with the next
        status[0]++;
        status[1] = errno;
        done++;
        continue;
      }
      done += static_cast<uint32_t>(r);
      sent += static_cast<uint32_t>(r);
    }
    i += n;
  }
  napi_value result;
  napi_create_uint32(env, sent, &result);
  return result;
}

}  // namespace

void DefineUdpSend(napi_env env, napi_value exports) {
  Senders* s = new Senders();
  // one per env; its finalizer runs when the env (the worker thread) ends and closes every dup
  napi_set_instance_data(
      env, s, [](napi_env, void* data, void*) { CloseAll(data); }, nullptr);
  napi_helpers::DefineMethods(env, exports,
                              {{"udpSendOpen", Open},
                               {"udpSendClose", Close},
                               {"udpSendAddress", Address},
                               {"udpSendFlush", Flush}});
}

#else

void DefineUdpSend(napi_env, napi_value) {}

#endif
