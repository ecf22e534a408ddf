;; Demo plugin: reads its config, logs it, emits one telemetry batch and
;; submits a CRITICAL result. Build: wat2wasm demo.wat -o demo.wasm
(module
  (import "env" "get_config" (func $get_config (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32 i32 i32)))
  (import "env" "submit_result" (func $submit_result (param i32 i32) (result i32)))
  (import "env" "emit_telemetry" (func $emit_telemetry (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x100) "{\"records\":[{\"payload_kind\":\"otel_log\",\"payload\":{\"body\":\"disk at 91%\"}}]}")
  (data (i32.const 0x200) "{\"status\":\"CRITICAL\",\"summary\":\"disk at 91%\",\"perfdata\":\"'used'=91%;80;90\"}")
  (func (export "run_check")
    (local $n i32)
    (local.set $n (call $get_config (i32.const 0x1000) (i32.const 1024)))
    (if (i32.gt_s (local.get $n) (i32.const 0))
      (then (call $log (i32.const 1) (i32.const 0x1000) (local.get $n))))
    (drop (call $emit_telemetry (i32.const 0x100) (i32.const 74)))
    (drop (call $submit_result (i32.const 0x200) (i32.const 75)))))
