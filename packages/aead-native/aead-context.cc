// AES-128-GCM with one OpenSSL context per key (RFC 7714 §8-§9, SRTP/SRTCP AEAD).
//
// node:crypto's createCipheriv/createDecipheriv set a cipher up on every call (key schedule,
// GHASH tables, a JS object); libsrtp keeps one context per key and changes only the IV per
// packet. This does the same with the OpenSSL that Node itself links (its symbols are exported
// by the node binary), so the AES-NI/PCLMULQDQ constant-time GCM code is Node's own.
//
// API (all buffers are Uint8Array; lengths are checked here, the caller checks the rest):
//   create(key16) -> context                      one per session key, never shared
//   seal(ctx, iv12, aad, plain, out, outOffset)    -> bytes written (ciphertext || 16-octet tag)
//   open(ctx, iv12, aad, cipher, tag16, out, outOffset) -> plaintext length, or -1 if the tag
//                                                   does not verify (out may hold garbage then)
// A context's key schedule is freed (and cleansed, EVP_CIPHER_CTX_free) when V8 collects it.
#include <node_api.h>
#include <openssl/evp.h>

#include "napi-helpers.h"
#include "udp-receive.h"
#include "udp-send.h"

#include <cstdint>
#include <cstring>

namespace {

constexpr size_t kKeyLength = 16;
constexpr size_t kIvLength = 12;
constexpr size_t kTagLength = 16;

struct AeadContext {
  EVP_CIPHER_CTX* seal = nullptr;
  EVP_CIPHER_CTX* open = nullptr;
};

void FreeContext(AeadContext* ctx) {
  if (ctx->seal != nullptr) EVP_CIPHER_CTX_free(ctx->seal);  // cleanses the key schedule
  if (ctx->open != nullptr) EVP_CIPHER_CTX_free(ctx->open);
  ctx->seal = nullptr;
  ctx->open = nullptr;
}

void Finalize(napi_env, void* data, void*) {
  auto* ctx = static_cast<AeadContext*>(data);
  FreeContext(ctx);
  delete ctx;
}

napi_value Throw(napi_env env, const char* code, const char* message) {
  napi_throw_type_error(env, code, message);
  return nullptr;
}

bool Bytes(napi_env env, napi_value value, uint8_t** data, size_t* length) {
  bool is_typed_array = false;
  if (napi_is_typedarray(env, value, &is_typed_array) != napi_ok || !is_typed_array) return false;
  napi_typedarray_type type;
  void* raw = nullptr;
  napi_value array_buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, &array_buffer, &offset) != napi_ok)
    return false;
  if (type != napi_uint8_array) return false;
  *data = static_cast<uint8_t*>(raw);
  return true;
}

AeadContext* Context(napi_env env, napi_value value) {
  void* data = nullptr;
  if (napi_get_value_external(env, value, &data) != napi_ok || data == nullptr) return nullptr;
  auto* ctx = static_cast<AeadContext*>(data);
  return ctx->seal != nullptr ? ctx : nullptr;
}

EVP_CIPHER_CTX* NewGcm(const uint8_t* key, int encrypt) {
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  if (c == nullptr) return nullptr;
  if (EVP_CipherInit_ex(c, EVP_aes_128_gcm(), nullptr, nullptr, nullptr, encrypt) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, kIvLength, nullptr) != 1 ||
      EVP_CipherInit_ex(c, nullptr, nullptr, key, nullptr, encrypt) != 1) {
    EVP_CIPHER_CTX_free(c);
    return nullptr;
  }
  return c;
}

napi_value Create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  uint8_t* key = nullptr;
  size_t key_length = 0;
  if (argc < 1 || !Bytes(env, argv[0], &key, &key_length) || key_length != kKeyLength)
    return Throw(env, "ERR_INVALID_ARG_TYPE", "key must be a 16-octet Uint8Array");
  auto* ctx = new AeadContext();
  ctx->seal = NewGcm(key, 1);
  ctx->open = NewGcm(key, 0);
  if (ctx->seal == nullptr || ctx->open == nullptr) {
    FreeContext(ctx);
    delete ctx;
    napi_throw_error(env, "ERR_CRYPTO_OPERATION_FAILED", "AES-128-GCM context set-up failed");
    return nullptr;
  }
  napi_value external;
  if (napi_create_external(env, ctx, Finalize, nullptr, &external) != napi_ok) {
    FreeContext(ctx);
    delete ctx;
    return nullptr;
  }
  return external;
}

napi_value Int(napi_env env, int64_t value) {
  napi_value result;
  napi_create_int64(env, value, &result);
  return result;
}

// seal(ctx, iv, aad, plain, out, outOffset)
napi_value Seal(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 6) return Throw(env, "ERR_MISSING_ARGS", "seal needs 6 arguments");
  AeadContext* ctx = Context(env, argv[0]);
  if (ctx == nullptr) return Throw(env, "ERR_INVALID_STATE", "AEAD context is closed or invalid");
  uint8_t *iv, *aad, *plain, *out;
  size_t iv_length, aad_length, plain_length, out_length;
  if (!Bytes(env, argv[1], &iv, &iv_length) || iv_length != kIvLength)
    return Throw(env, "ERR_INVALID_ARG_TYPE", "iv must be a 12-octet Uint8Array");
  if (!Bytes(env, argv[2], &aad, &aad_length) || !Bytes(env, argv[3], &plain, &plain_length) ||
      !Bytes(env, argv[4], &out, &out_length))
    return Throw(env, "ERR_INVALID_ARG_TYPE", "aad, plaintext and out must be Uint8Arrays");
  uint32_t out_offset = 0;
  if (napi_get_value_uint32(env, argv[5], &out_offset) != napi_ok)
    return Throw(env, "ERR_INVALID_ARG_TYPE", "outOffset must be a non-negative integer");
  if (plain_length > INT32_MAX || aad_length > INT32_MAX || out_offset > out_length ||
      out_length - out_offset < plain_length + kTagLength)
    return Throw(env, "ERR_OUT_OF_RANGE", "out has no room for the ciphertext and tag");
  EVP_CIPHER_CTX* c = ctx->seal;
  uint8_t* dst = out + out_offset;
  int n = 0;
  int final_n = 0;
  // RFC 7714 §8.2 / §9.2: IV per packet, AAD, then the payload; the key schedule is kept.
  if (EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv, 1) != 1 ||
      (aad_length > 0 && EVP_CipherUpdate(c, nullptr, &n, aad, static_cast<int>(aad_length)) != 1) ||
      EVP_CipherUpdate(c, dst, &n, plain, static_cast<int>(plain_length)) != 1 ||
      EVP_CipherFinal_ex(c, dst + n, &final_n) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, kTagLength, dst + n + final_n) != 1) {
    napi_throw_error(env, "ERR_CRYPTO_OPERATION_FAILED", "AES-128-GCM seal failed");
    return nullptr;
  }
  return Int(env, n + final_n + static_cast<int64_t>(kTagLength));
}

// open(ctx, iv, aad, cipher, tag, out, outOffset)
napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 7) return Throw(env, "ERR_MISSING_ARGS", "open needs 7 arguments");
  AeadContext* ctx = Context(env, argv[0]);
  if (ctx == nullptr) return Throw(env, "ERR_INVALID_STATE", "AEAD context is closed or invalid");
  uint8_t *iv, *aad, *cipher, *tag, *out;
  size_t iv_length, aad_length, cipher_length, tag_length, out_length;
  if (!Bytes(env, argv[1], &iv, &iv_length) || iv_length != kIvLength)
    return Throw(env, "ERR_INVALID_ARG_TYPE", "iv must be a 12-octet Uint8Array");
  if (!Bytes(env, argv[4], &tag, &tag_length) || tag_length != kTagLength)
    return Throw(env, "ERR_INVALID_ARG_TYPE", "tag must be a 16-octet Uint8Array");
  if (!Bytes(env, argv[2], &aad, &aad_length) || !Bytes(env, argv[3], &cipher, &cipher_length) ||
      !Bytes(env, argv[5], &out, &out_length))
    return Throw(env, "ERR_INVALID_ARG_TYPE", "aad, ciphertext and out must be Uint8Arrays");
  uint32_t out_offset = 0;
  if (napi_get_value_uint32(env, argv[6], &out_offset) != napi_ok)
    return Throw(env, "ERR_INVALID_ARG_TYPE", "outOffset must be a non-negative integer");
  if (cipher_length > INT32_MAX || aad_length > INT32_MAX || out_offset > out_length ||
      out_length - out_offset < cipher_length)
    return Throw(env, "ERR_OUT_OF_RANGE", "out has no room for the plaintext");
  EVP_CIPHER_CTX* c = ctx->open;
  uint8_t* dst = out + out_offset;
  int n = 0;
  int final_n = 0;
  // The expected tag is set before the final step, which compares it in constant time
  // (OpenSSL's CRYPTO_memcmp) and fails on a mismatch.
  if (EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv, 0) != 1 ||
      (aad_length > 0 && EVP_CipherUpdate(c, nullptr, &n, aad, static_cast<int>(aad_length)) != 1) ||
      EVP_CipherUpdate(c, dst, &n, cipher, static_cast<int>(cipher_length)) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, kTagLength, tag) != 1) {
    napi_throw_error(env, "ERR_CRYPTO_OPERATION_FAILED", "AES-128-GCM open failed");
    return nullptr;
  }
  if (EVP_CipherFinal_ex(c, dst + n, &final_n) != 1) return Int(env, -1);
  return Int(env, n + final_n);
}

// openInPlace(ctx, iv, packet, aadLength): AAD = packet[0, aadLength), then the ciphertext and
// its 16-octet tag at the end (RFC 7714 §8: an SRTP packet as received); the plaintext replaces
// the ciphertext where it is. One call and two typed arrays per packet instead of five: on the
// receive path, each sub-view made in JS and each typed array read here costs more than the
// cipher itself once the thread has slept between packets (caches cold).
napi_value OpenInPlace(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 4) return Throw(env, "ERR_MISSING_ARGS", "openInPlace needs 4 arguments");
  AeadContext* ctx = Context(env, argv[0]);
  if (ctx == nullptr) return Throw(env, "ERR_INVALID_STATE", "AEAD context is closed or invalid");
  uint8_t *iv, *packet;
  size_t iv_length, packet_length;
  if (!Bytes(env, argv[1], &iv, &iv_length) || iv_length != kIvLength)
    return Throw(env, "ERR_INVALID_ARG_TYPE", "iv must be a 12-octet Uint8Array");
  if (!Bytes(env, argv[2], &packet, &packet_length))
    return Throw(env, "ERR_INVALID_ARG_TYPE", "packet must be a Uint8Array");
  uint32_t aad_length = 0;
  if (napi_get_value_uint32(env, argv[3], &aad_length) != napi_ok)
    return Throw(env, "ERR_INVALID_ARG_TYPE", "aadLength must be a non-negative integer");
  if (packet_length > INT32_MAX || aad_length > packet_length ||
      packet_length - aad_length < kTagLength)
    return Throw(env, "ERR_OUT_OF_RANGE", "packet has no room for the AAD and the tag");
  EVP_CIPHER_CTX* c = ctx->open;
  uint8_t* body = packet + aad_length;
  const int body_length = static_cast<int>(packet_length - aad_length - kTagLength);
  int n = 0;
  int final_n = 0;
  // as in Open: the tag is set before the final step, which compares it in constant time
  if (EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv, 0) != 1 ||
      (aad_length > 0 && EVP_CipherUpdate(c, nullptr, &n, packet, static_cast<int>(aad_length)) != 1) ||
      EVP_CipherUpdate(c, body, &n, body, body_length) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, kTagLength, body + body_length) != 1) {
    napi_throw_error(env, "ERR_CRYPTO_OPERATION_FAILED", "AES-128-GCM open failed");
    return nullptr;
  }
  if (EVP_CipherFinal_ex(c, body + n, &final_n) != 1) return Int(env, -1);
  return Int(env, n + final_n);
}

napi_value Init(napi_env env, napi_value exports) {
  napi_helpers::DefineMethods(
      env, exports,
      {{"create", Create}, {"seal", Seal}, {"open", Open}, {"openInPlace", OpenInPlace}});
  DefineUdpReceive(env, exports);
  DefineUdpSend(env, exports);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
