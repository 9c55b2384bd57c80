// libpq, PostgreSQL's client library (Debian: libpq-dev). Linked always; used only when the
// configuration names a postgres:// database.
#include <libpq-fe.h>
