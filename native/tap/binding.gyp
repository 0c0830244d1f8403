{
  "targets": [
    {
      "target_name": "vmnetlab_tap",
      "sources": ["tap.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-O2"],
      "libraries": ["-lpthread"]
    }
  ]
}
