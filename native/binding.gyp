{
  "targets": [
    { "target_name": "berth", "sources": ["berth.c"], "cflags": ["-O2", "-Wall"] }
  ]
}
