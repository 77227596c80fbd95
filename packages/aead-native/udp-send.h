// The native send on UDP sockets (udp-send.cc): adds its functions to the addon's exports.
#pragma once
#include <node_api.h>

void DefineUdpSend(napi_env env, napi_value exports);
