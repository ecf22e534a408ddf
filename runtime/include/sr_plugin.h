/*
 * sr_plugin.h - the entry point of a ServiceRadar plugin.
 *
 *     #include "sr_plugin.h"
 *
 *     static void my_check(void)
 *     {
 *         static const char result[] = "{\"status\":\"OK\",\"summary\":\"fine\"}";
 *         sr_host_submit_result(result, sizeof result - 1);
 *     }
 *     SR_PLUGIN_ENTRY(my_check);
 *
 * Use SR_PLUGIN_ENTRY once per plugin, after the function it names (a
 * `void f(void)`), and end it with a semicolon.
 *
 * In a wasm build it defines the function the agent calls: exported as
 * SR_PLUGIN_EXPORT_NAME, by default SR_HOST_ENTRYPOINT ("run_check", from
 * sr_contract.h); sr_add_plugin() sets SR_PLUGIN_EXPORT_NAME to the plugin's
 * ENTRY, which must equal the manifest's `entrypoint:`. Natively it defines
 * `void sr_plugin_entry(void)`, so the same plugin source links into a native
 * test that supplies the sr_host_* functions and calls sr_plugin_entry().
 *
 * C runtime initialisation. The agent (wazero) calls only the entry: never
 * _start, never _initialize. A plugin is linked as a WASI reactor
 * (-mexec-model=reactor, as sr_add_plugin does), whose crt1-reactor.o defines
 * the exported _initialize that runs the linker-made __wasm_call_ctors: C/C++
 * static constructors and wasi-libc's own (e.g. the preopened-directory
 * table). Exported functions are NOT wrapped to run them: wasm-ld wraps
 * exports only when nothing calls __wasm_call_ctors, and _initialize does.
 * So the entry calls _initialize itself, before the plugin's function, unless
 * initialisation has already happened:
 *   - exactly once per instance: a constructor defined here sets a flag, so
 *     a second call of the entry skips it, and so does a call after a host
 *     that does call _initialize first (wasmtime does, for reactors);
 *   - the flag is volatile, because LLVM's optimiser (notably with LTO)
 *     evaluates simple constructors at compile time and would otherwise
 *     turn the flag into a constant 1 and drop the call;
 *   - _initialize, not __wasm_call_ctors directly: newer wasi-libc's
 *     _initialize does more (thread-pointer set-up) and traps if called
 *     twice; Debian 12's wasi-libc (2022-05-10) just calls
 *     __wasm_call_ctors, and the result is the same.
 * Linking without crt1-reactor.o (not a reactor) fails with "undefined
 * symbol: _initialize": build plugins as reactors.
 */
#ifndef SR_PLUGIN_H
#define SR_PLUGIN_H

#include "sr_contract.h" /* SR_HOST_ENTRYPOINT */
#include "sr_host.h"     /* the host imports a plugin calls */

#ifndef SR_PLUGIN_EXPORT_NAME
#define SR_PLUGIN_EXPORT_NAME SR_HOST_ENTRYPOINT
#endif

#ifdef __cplusplus
#define SR_PLUGIN_EXTERN_C_ extern "C"
#else
#define SR_PLUGIN_EXTERN_C_
#endif

/* Defined by SR_PLUGIN_ENTRY (exported as SR_PLUGIN_EXPORT_NAME in wasm). */
SR_PLUGIN_EXTERN_C_ void sr_plugin_entry(void);

#if defined(__wasm__)

/* crt1-reactor.o: runs the constructors (see above). */
SR_PLUGIN_EXTERN_C_ void _initialize(void);

#define SR_PLUGIN_ENTRY(fn)                                                   \
    static volatile int sr_plugin_initialized_;                               \
    __attribute__((constructor)) static void sr_plugin_mark_initialized_(void) \
    {                                                                         \
        sr_plugin_initialized_ = 1;                                           \
    }                                                                         \
    SR_PLUGIN_EXTERN_C_ __attribute__((export_name(SR_PLUGIN_EXPORT_NAME)))   \
    void sr_plugin_entry(void)                                                \
    {                                                                         \
        if (!sr_plugin_initialized_)                                          \
            _initialize();                                                    \
        fn();                                                                 \
    }                                                                         \
    struct sr_plugin_entry_needs_a_semicolon_

#else /* native: the C runtime is initialised before main */

#define SR_PLUGIN_ENTRY(fn)                                                   \
    SR_PLUGIN_EXTERN_C_ void sr_plugin_entry(void)                            \
    {                                                                         \
        fn();                                                                 \
    }                                                                         \
    struct sr_plugin_entry_needs_a_semicolon_

#endif

#endif /* SR_PLUGIN_H */
