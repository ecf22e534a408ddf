/*
 * bench/wasm/empty_plugin.c - the floor of a plugin module: the SDK is
 * linked (sr_sdk, sr_runtime) but the entry calls nothing, so what is left
 * is the reactor's start-up code and the entry itself.
 */
#include "sr_plugin.h"

static void check(void) {}

SR_PLUGIN_ENTRY(check);
