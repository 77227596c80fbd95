{
  "targets": [
    {
      "target_name": "aead_context",
      "sources": ["aead-context.cc", "udp-receive.cc", "udp-send.cc"],
      "cflags_cc": ["-O2", "-fno-exceptions"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
