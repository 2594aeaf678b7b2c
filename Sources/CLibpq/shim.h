#ifndef MAILCENSUS_CLIBPQ_SHIM_H
#define MAILCENSUS_CLIBPQ_SHIM_H

#include <libpq-fe.h>

// libpq prints the server's notices (a NOTICE that a table already exists, say) on stderr by
// default; a command-line tool whose stderr is for its own errors keeps them out.

static inline void clibpq_discard_notice(void *context, const char *message) {
    (void)context;
    (void)message;
}

static inline void clibpq_discard_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, clibpq_discard_notice, (void *)0);
}

#endif
