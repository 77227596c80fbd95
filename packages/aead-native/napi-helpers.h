// What the addon's N-API files (aead-context.cc, udp-receive.cc, udp-send.cc) share: reading a
// typed array argument, and adding a table of functions to the exports.
#pragma once
#include <node_api.h>

#include <cstddef>

namespace napi_helpers {

// `value`'s data and element count, if it is a typed array of type `want`.
inline bool TypedArrayData(napi_env env, napi_value value, napi_typedarray_type want, void** data,
                           size_t* length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return false;
  napi_typedarray_type type;
  if (napi_get_typedarray_info(env, value, &type, length, data, nullptr, nullptr) != napi_ok) {
    return false;
  }
  return type == want;
}

struct Method {
  const char* name;
  napi_callback callback;
};

// Adds each of `methods` to `exports` as a plain function property.
template <size_t N>
void DefineMethods(napi_env env, napi_value exports, const Method (&methods)[N]) {
  napi_property_descriptor properties[N];
  for (size_t i = 0; i < N; i++) {
    properties[i] = {methods[i].name, nullptr, methods[i].callback, nullptr,
                     nullptr,         nullptr, napi_default,        nullptr};
  }
  napi_define_properties(env, exports, N, properties);
}

}  // namespace napi_helpers
