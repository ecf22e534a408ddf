# CMake toolchain file: build the SDK and plugins for wasm32-wasi (WASI
# preview 1), the target the ServiceRadar agent (wazero) runs.
#
# Use:
#   cmake -S . -B build-wasm -DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi.cmake
#   cmake --build build-wasm          # sr_runtime, sr_sdk, examples/hello/hello.wasm
#   ctest --test-dir build-wasm       # checks every plugin (tests/wasm/)
#
# Which toolchain:
#   - WASI_SDK_PATH set in the environment (at configure time): that wasi-sdk,
#     i.e. $WASI_SDK_PATH/bin/clang, bin/llvm-ar, bin/llvm-ranlib and the
#     sysroot $WASI_SDK_PATH/share/wasi-sysroot.
#   - otherwise Debian's packages (Debian 12):
#       apt-get install clang lld llvm wasi-libc libclang-rt-14-dev-wasm32
#     clang-N + wasm-ld-N (lld) + llvm-ar-N/llvm-ranlib-N for the newest N
#     that has its wasm32 compiler runtime
#     (/usr/lib/llvm-N/lib/clang/<ver>/lib/wasi/libclang_rt.builtins-wasm32.a,
#     package libclang-rt-N-dev-wasm32), and wasi-libc, which Debian installs
#     multiarch-style, not as one sysroot folder:
#       headers   /usr/include/wasm32-wasi
#       libraries /usr/lib/wasm32-wasi (libc.a, crt1-command.o, crt1-reactor.o)
#     Debian's clang already looks there for --target=wasm32-wasi (its default
#     sysroot is /usr), but it then also falls back to the HOST's
#     /usr/local/include and /usr/include (glibc), so this file passes
#     -nostdlibinc and names /usr/include/wasm32-wasi itself: a header
#     wasi-libc lacks is an error, never a silently used glibc header.
#
# Optional cache variables: SR_WASI_TARGET (default wasm32-wasi).
#
# CMAKE_SYSTEM_NAME is WASI (cmake/Platform/WASI.cmake: WASI=1, executables
# end in .wasm, no shared libraries). try_compile builds a static library:
# a WASI executable needs a `main` or an entry, and CMake's checks have none.
# Plugins are linked by sr_add_plugin() in cmake/plugins.cmake.

# CMake has no Platform/WASI.cmake of its own; ours is next to this file.
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")

set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

if(NOT SR_WASI_TARGET)
    set(SR_WASI_TARGET wasm32-wasi)
endif()
set(CMAKE_C_COMPILER_TARGET ${SR_WASI_TARGET})
set(CMAKE_CXX_COMPILER_TARGET ${SR_WASI_TARGET})

set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# try_compile projects re-read this file; hand them the same choice.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SR_WASI_TARGET)

if(DEFINED ENV{WASI_SDK_PATH} AND NOT "$ENV{WASI_SDK_PATH}" STREQUAL "")
    # ---- wasi-sdk ----------------------------------------------------------
    file(TO_CMAKE_PATH "$ENV{WASI_SDK_PATH}" _sr_wasi_sdk)
    if(CMAKE_HOST_WIN32)
        set(_sr_exe ".exe")
    else()
        set(_sr_exe "")
    endif()
    if(NOT EXISTS "${_sr_wasi_sdk}/bin/clang${_sr_exe}")
        message(FATAL_ERROR "WASI_SDK_PATH=${_sr_wasi_sdk} has no bin/clang${_sr_exe}")
    endif()
    set(CMAKE_C_COMPILER   "${_sr_wasi_sdk}/bin/clang${_sr_exe}")
    set(CMAKE_CXX_COMPILER "${_sr_wasi_sdk}/bin/clang++${_sr_exe}")
    set(CMAKE_AR           "${_sr_wasi_sdk}/bin/llvm-ar${_sr_exe}" CACHE FILEPATH "Archiver")
    set(CMAKE_RANLIB       "${_sr_wasi_sdk}/bin/llvm-ranlib${_sr_exe}" CACHE FILEPATH "Ranlib")
    set(CMAKE_SYSROOT      "${_sr_wasi_sdk}/share/wasi-sysroot")
    set(CMAKE_FIND_ROOT_PATH "${CMAKE_SYSROOT}")
    set(SR_WASI_TOOLCHAIN "wasi-sdk ${_sr_wasi_sdk}")
else()
    # ---- Debian packages ---------------------------------------------------
    set(_sr_wasi_include /usr/include/wasm32-wasi)
    set(_sr_wasi_lib /usr/lib/wasm32-wasi)
    if(NOT EXISTS "${_sr_wasi_include}/stdio.h" OR NOT EXISTS "${_sr_wasi_lib}/libc.a")
        message(FATAL_ERROR
            "wasi-libc not found (${_sr_wasi_include}, ${_sr_wasi_lib}): "
            "apt-get install wasi-libc, or set WASI_SDK_PATH to a wasi-sdk")
    endif()
    # The newest versioned LLVM that has clang, wasm-ld, llvm-ar and the
    # wasm32 builtins; the builtins live in the versioned resource dir, so
    # the clang must be that version's.
    unset(_sr_llvm)
    foreach(_v 20 19 18 17 16 15 14)
        file(GLOB _rt "/usr/lib/llvm-${_v}/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a")
        if(_rt AND EXISTS /usr/bin/clang-${_v} AND EXISTS /usr/bin/wasm-ld-${_v}
           AND EXISTS /usr/bin/llvm-ar-${_v} AND EXISTS /usr/bin/llvm-ranlib-${_v})
            set(_sr_llvm ${_v})
            break()
        endif()
    endforeach()
    if(NOT _sr_llvm)
        message(FATAL_ERROR
            "No usable LLVM for wasm32-wasi: need clang-N, wasm-ld-N (lld-N), "
            "llvm-ar-N, llvm-ranlib-N and libclang-rt-N-dev-wasm32, e.g. "
            "apt-get install clang lld llvm libclang-rt-14-dev-wasm32")
    endif()
    set(CMAKE_C_COMPILER   /usr/bin/clang-${_sr_llvm})
    set(CMAKE_CXX_COMPILER /usr/bin/clang++-${_sr_llvm})
    set(CMAKE_AR           /usr/bin/llvm-ar-${_sr_llvm} CACHE FILEPATH "Archiver")
    set(CMAKE_RANLIB       /usr/bin/llvm-ranlib-${_sr_llvm} CACHE FILEPATH "Ranlib")
    # wasi-libc's headers only (clang's own stddef.h etc. stay); the linker
    # side needs nothing: the driver adds -L/usr/lib/wasm32-wasi, crt1-*.o,
    # -lc and the builtins archive, and runs wasm-ld-N.
    set(CMAKE_C_FLAGS_INIT   "-nostdlibinc -isystem ${_sr_wasi_include}")
    set(CMAKE_CXX_FLAGS_INIT "-nostdlibinc -isystem ${_sr_wasi_include}")
    # CMake passes CMAKE_C_FLAGS to the link too, where clang would warn that
    # -nostdlibinc/-isystem are unused.
    set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wno-unused-command-line-argument")
    # No CMAKE_FIND_ROOT_PATH: Debian has no single sysroot folder to
    # re-root find_library/find_path into. The SDK needs none in this build.
    set(SR_WASI_TOOLCHAIN "Debian LLVM ${_sr_llvm} + wasi-libc")
endif()

# Programs (python3, wasm-objdump) come from the host; libraries, headers
# and packages only from the target's root (wasi-sdk's sysroot).
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
