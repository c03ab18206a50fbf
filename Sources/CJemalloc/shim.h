#ifndef SLUICE_CJEMALLOC_SHIM_H
#define SLUICE_CJEMALLOC_SHIM_H
#include <jemalloc/jemalloc.h>
#endif
