// The native receive of a UDP socket (udp-receive.cc): adds its functions to the addon's exports.
#pragma once
#include <node_api.h>

void DefineUdpReceive(napi_env env, napi_value exports);
