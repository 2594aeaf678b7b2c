#ifndef MAILCENSUS_CZLIB_SHIM_H
#define MAILCENSUS_CZLIB_SHIM_H

#include <zlib.h>

/// `inflateInit2` is a macro; Swift needs a function.
static inline int czlib_inflate_init_gzip(z_stream *stream) {
    // 15 window bits + 32: detect gzip or zlib headers automatically.
    return inflateInit2(stream, 15 + 32);
}

#endif
