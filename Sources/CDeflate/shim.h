#ifndef SLUICE_CDEFLATE_SHIM_H
#define SLUICE_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
