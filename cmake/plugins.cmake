# cmake/plugins.cmake - sr_add_plugin(): build a ServiceRadar plugin (.wasm).
#
# Included by the top-level CMakeLists.txt in the WASI build only (see
# cmake/wasm32-wasi.cmake), before sr_runtime and sr_sdk are defined, so the
# settings below (build type, LTO) reach the SDK libraries too.
#
#   sr_add_plugin(NAME
#       SOURCES  file.c ...            # the plugin; uses SR_PLUGIN_ENTRY (sr_plugin.h)
#       MANIFEST plugin.yaml           # its manifest
#       [ENTRY   run_check]            # export name; default: the manifest's
#                                      # `entrypoint:`, else run_check
#       [SIZE_BUDGET bytes])           # NAME_module_check fails above it (checked
#                                      # when LTO and wasm-opt are on, as shipped)
#
# Output, one folder per plugin, ready to bundle:
#   <build>/plugins/NAME/NAME.wasm     the module
#   <build>/plugins/NAME/plugin.yaml   the manifest, copied (kept up to date)
# and a CTest test NAME_module_check (tests/wasm/check_module.py: imports only
# from env / wasi_snapshot_preview1, exports the entry and memory, no _start,
# manifest agrees) and NAME_init_once (tests/wasm/check_init_once.py: the
# entry runs in wabt's wasm-interp and the constructors run exactly once),
# run on the host with `ctest --test-dir <build>`; plus, once,
# wasm_check_module_selftest (tests/wasm/test_check_module.py).
#
# How the module is linked:
#   - a WASI reactor (-mexec-model=reactor): no _start, no main; wasi-libc's
#     crt1-reactor.o supplies _initialize, which the entry made by
#     SR_PLUGIN_ENTRY calls once itself (the agent never calls _initialize);
#   - -Oz everywhere (and MinSizeRel, i.e. NDEBUG, the default build type), and
#     LTO (-flto) across the plugin, sr_sdk and sr_runtime (SR_WASM_LTO,
#     default ON; the libraries then hold LLVM bitcode, archived by llvm-ar);
#   - --gc-sections, and --strip-all: no debug info, no name section;
#   - then, when binaryen's wasm-opt is found (SR_WASM_OPT, default ON),
#     wasm-opt -Oz over the linked module (sr_wasm_opt below);
#   - exports: the entry (by its export_name attribute) and `memory` (wasm-ld
#     exports the memory by default). Imports: env.* host functions and
#     whatever wasi_snapshot_preview1 functions wasi-libc needs.
# After the link the size of the .wasm is printed.
include_guard(GLOBAL)

if(NOT CMAKE_SYSTEM_NAME STREQUAL "WASI")
    message(FATAL_ERROR "cmake/plugins.cmake is for the WASI build "
        "(-DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi.cmake)")
endif()

option(SR_WASM_LTO "Link-time optimisation for plugins and the SDK libraries (WASI build)" ON)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE MinSizeRel CACHE STRING
        "Build type (the WASI build compiles with -Oz whatever it is)" FORCE)
endif()

# Directory-wide (this file is included at the top level, so these reach
# sr_runtime, sr_sdk and every plugin): -Oz whatever the build type (target
# options come after CMAKE_C_FLAGS_<CONFIG>, so its -O flag loses; the
# build type still decides -g and NDEBUG), and -flto so that the SDK
# libraries are bitcode too, else LTO would see only the plugin's own code.
add_compile_options(-Oz)
# Bulk memory operations (WebAssembly 2.0, on in wazero's default
# CoreFeaturesV2 as the agent and srhost use it): memcpy/memset of known
# call sites become memory.copy/memory.fill instead of calls into
# wasi-libc's byte loops. Measured: -1.7 KB per metric plugin, and under
# WithCloseOnContextDone a memcpy no longer pays a host check per loop
# iteration (bench/results.md). With bulk memory on, clang 14 LTO accepts
# thread-locals (wasi-libc's errno) only in the local-exec model, the only
# one a single-threaded WASI module has anyway.
add_compile_options(-mbulk-memory -ftls-model=local-exec)
add_link_options(-mbulk-memory)
if(SR_WASM_LTO)
    add_compile_options(-flto)
endif()

# binaryen's wasm-opt after the link (Debian: apt-get install binaryen;
# scripts/setup.sh installs it): -Oz over the whole linked module, which LLVM
# never sees as one (it merges and inlines across what LTO left, shrinks the
# data segments). Measured on the example plugins: -12% (http_metrics 42485
# -> 37324 bytes before any source change). Optional: without wasm-opt the
# modules are the same code, only larger (a configure message says so).
# Features: the module is MVP plus bulk memory (-mbulk-memory above); the
# stripped module has no target_features section to tell wasm-opt that.
# Two facts about every plugin module that wasm-opt may then use: its memory
# is its own (defined, not imported), so it starts zero-filled
# (--zero-filled-memory: zero bytes of data segments need not be stored), and
# wasm-ld places data from address 1024 up with the stack after it, so the
# first 1 KiB is never read or written (--low-memory-unused: constant
# address parts fold into load/store offsets). Measured: http_metrics -454
# bytes.
option(SR_WASM_OPT "Run binaryen's wasm-opt -Oz on each plugin after the link, when wasm-opt is found" ON)
find_program(SR_WASM_OPT_EXE wasm-opt)
set(SR_WASM_OPT_FLAGS -Oz --mvp-features --enable-bulk-memory --zero-filled-memory --low-memory-unused)
if(SR_WASM_OPT AND NOT SR_WASM_OPT_EXE)
    message(STATUS "wasm-opt (Debian: binaryen) not found: plugins are linked "
        "without the wasm-opt -Oz step (same code, larger modules)")
endif()

# sr_wasm_opt(TARGET [KEEP_NAMES]): the wasm-opt step as a POST_BUILD command
# of TARGET (nothing when SR_WASM_OPT is OFF or wasm-opt is missing).
# KEEP_NAMES keeps the name section (-g) for a twin linked with names and
# debug info; its DWARF is dropped first, since wasm-opt optimises less in a
# module that has DWARF, and the twin's code must be the stripped module's.
function(sr_wasm_opt TARGET)
    if(NOT SR_WASM_OPT OR NOT SR_WASM_OPT_EXE)
        return()
    endif()
    set(extra)
    if(ARGN STREQUAL "KEEP_NAMES")
        set(extra --strip-dwarf -g)
    endif()
    add_custom_command(TARGET ${TARGET} POST_BUILD
        COMMAND "${SR_WASM_OPT_EXE}" ${extra} ${SR_WASM_OPT_FLAGS}
                "$<TARGET_FILE:${TARGET}>" -o "$<TARGET_FILE:${TARGET}>"
        VERBATIM)
endfunction()

set(SR_PLUGIN_WARNINGS -Wall -Wextra -Werror -pedantic)
set(_SR_PLUGINS_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")
get_filename_component(_SR_PLUGINS_TESTS_DIR "${CMAKE_CURRENT_LIST_DIR}/../tests/wasm" ABSOLUTE)

# Host tools for the module check (CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER:
# found on the host even though this is a cross build).
find_program(SR_HOST_PYTHON3 NAMES python3 python)
find_program(SR_WASM_OBJDUMP wasm-objdump)
find_program(SR_WAT2WASM wat2wasm)
find_program(SR_WASM2WAT wasm2wat)
find_program(SR_WASM_INTERP wasm-interp)
if(SR_HOST_PYTHON3 AND SR_WASM_OBJDUMP)
    enable_testing()
    # The checker itself, on small hand-written good and bad modules.
    if(SR_WAT2WASM)
        add_test(NAME wasm_check_module_selftest
            COMMAND "${SR_HOST_PYTHON3}" "${_SR_PLUGINS_TESTS_DIR}/test_check_module.py")
    endif()
else()
    message(WARNING "python3 or wasm-objdump (Debian: wabt) not found: "
        "plugin module checks are not registered")
endif()

function(sr_add_plugin NAME)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "MANIFEST;ENTRY;SIZE_BUDGET" "SOURCES")
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "sr_add_plugin(${NAME}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT arg_SOURCES OR NOT arg_MANIFEST)
        message(FATAL_ERROR "sr_add_plugin(${NAME}): SOURCES and MANIFEST are required")
    endif()
    get_filename_component(manifest "${arg_MANIFEST}" ABSOLUTE)
    if(NOT EXISTS "${manifest}")
        message(FATAL_ERROR "sr_add_plugin(${NAME}): no manifest ${manifest}")
    endif()

    # The export must be the manifest's entrypoint: the agent calls that name.
    file(STRINGS "${manifest}" entry_line REGEX "^entrypoint:")
    set(manifest_entry "")
    if(entry_line MATCHES "^entrypoint:[ \t]*[\"']?([A-Za-z_][A-Za-z0-9_]*)")
        set(manifest_entry "${CMAKE_MATCH_1}")
    endif()
    if(NOT arg_ENTRY)
        if(manifest_entry)
            set(arg_ENTRY "${manifest_entry}")
        else()
            set(arg_ENTRY run_check)
        endif()
    endif()
    if(manifest_entry AND NOT manifest_entry STREQUAL arg_ENTRY)
        message(FATAL_ERROR "sr_add_plugin(${NAME}): ENTRY ${arg_ENTRY} but "
            "${manifest} says entrypoint: ${manifest_entry}")
    endif()

    set(out_dir "${CMAKE_BINARY_DIR}/plugins/${NAME}")
    add_executable(${NAME} ${arg_SOURCES})
    target_link_libraries(${NAME} PRIVATE sr_sdk sr_runtime)
    target_compile_definitions(${NAME} PRIVATE SR_PLUGIN_EXPORT_NAME="${arg_ENTRY}")
    target_compile_options(${NAME} PRIVATE ${SR_PLUGIN_WARNINGS})
    # Clang 14 does not hand -O to wasm-ld: LTO code generation runs at
    # wasm-ld's default --lto-O2, over functions that -Oz already marked
    # minsize (measured: --lto-O2 and -O3 give the same bytes).
    target_link_options(${NAME} PRIVATE
        -mexec-model=reactor
        -Oz
        $<$<BOOL:${SR_WASM_LTO}>:-flto>
        -Wl,--gc-sections
        -Wl,--strip-all)
    set_target_properties(${NAME} PROPERTIES
        C_STANDARD 11
        C_STANDARD_REQUIRED ON
        C_EXTENSIONS OFF
        OUTPUT_NAME "${NAME}"
        SUFFIX ".wasm"
        RUNTIME_OUTPUT_DIRECTORY "${out_dir}"
        SR_PLUGIN_ENTRY "${arg_ENTRY}"
        SR_PLUGIN_MANIFEST "${manifest}")
    # The manifest next to the module; configure_file re-runs CMake when the
    # manifest changes, so the copy never goes stale.
    configure_file("${manifest}" "${out_dir}/plugin.yaml" COPYONLY)
    sr_wasm_opt(${NAME})
    add_custom_command(TARGET ${NAME} POST_BUILD
        COMMAND "${CMAKE_COMMAND}" -DSR_WASM_FILE=$<TARGET_FILE:${NAME}>
                -P "${_SR_PLUGINS_CMAKE_DIR}/wasm_size.cmake"
        VERBATIM)

    if(SR_HOST_PYTHON3 AND SR_WASM_OBJDUMP)
        # SIZE_BUDGET (bytes) holds for the module as it ships: LTO and the
        # wasm-opt step. Without them the same code is larger, so the budget
        # is not checked (a configure message says so).
        set(budget)
        if(arg_SIZE_BUDGET)
            if(SR_WASM_LTO AND SR_WASM_OPT AND SR_WASM_OPT_EXE)
                set(budget --max-bytes ${arg_SIZE_BUDGET})
            else()
                message(STATUS "${NAME}: size budget ${arg_SIZE_BUDGET} bytes not checked "
                    "(it holds with LTO and wasm-opt; SR_WASM_LTO=${SR_WASM_LTO}, "
                    "SR_WASM_OPT=${SR_WASM_OPT}, wasm-opt: ${SR_WASM_OPT_EXE})")
            endif()
        endif()
        add_test(NAME ${NAME}_module_check
            COMMAND "${SR_HOST_PYTHON3}" "${_SR_PLUGINS_TESTS_DIR}/check_module.py"
                    --objdump "${SR_WASM_OBJDUMP}"
                    --entry "${arg_ENTRY}"
                    --manifest "${out_dir}/plugin.yaml"
                    ${budget}
                    "$<TARGET_FILE:${NAME}>")
        # Run the entry in wabt's interpreter (host functions stubbed): the
        # constructors run exactly once, with or without a host _initialize.
        if(SR_WAT2WASM AND SR_WASM2WAT AND SR_WASM_INTERP)
            add_test(NAME ${NAME}_init_once
                COMMAND "${SR_HOST_PYTHON3}" "${_SR_PLUGINS_TESTS_DIR}/check_init_once.py"
                        --entry "${arg_ENTRY}" "$<TARGET_FILE:${NAME}>")
        endif()
    endif()
endfunction()
