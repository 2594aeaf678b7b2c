#ifndef MAILCENSUS_CMALLOC_SHIM_H
#define MAILCENSUS_CMALLOC_SHIM_H

// glibc's allocator settings (`mallopt`), which Swift's Glibc module leaves out.
#if defined(__GLIBC__) || __has_include(<malloc.h>)
#include <malloc.h>
#endif

#endif
