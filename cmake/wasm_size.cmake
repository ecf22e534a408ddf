# cmake -DSR_WASM_FILE=x.wasm -P cmake/wasm_size.cmake
# Prints the size of a built plugin (run after each link by sr_add_plugin).
file(SIZE "${SR_WASM_FILE}" _size)
get_filename_component(_name "${SR_WASM_FILE}" NAME)
math(EXPR _kib "(${_size} + 1023) / 1024")
message("${_name}: ${_size} bytes (${_kib} KiB)")
