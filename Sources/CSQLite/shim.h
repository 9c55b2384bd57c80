#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline void (*csqlite_transient(void))(void *) { return (void (*)(void *))-1; }

// sqlite3_config is variadic, which Swift cannot call. Turning memory statistics off before
// SQLite initializes removes the process-wide mutex every SQLite allocation otherwise takes
// (the connections of different threads queue on it under load). PLN never reads
// sqlite3_memory_used. Returns SQLITE_MISUSE when SQLite is already initialized.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
