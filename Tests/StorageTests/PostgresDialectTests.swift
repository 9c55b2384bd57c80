import Foundation
import Testing

@testable import Storage

/// The translation of PLN's SQL (written for SQLite) into PostgreSQL's: pure text, so these run
/// on every machine; the PostgreSQL suite (`PLN_TEST_DATABASE_URL`) runs the translated SQL.
@Suite struct PostgresDialectTests {
    func translate(_ sql: String, key: [String] = ["key"]) -> PostgresDialect.Translated {
        PostgresDialect.translate(sql) { _ in key }
    }

    @Test func placeholdersAreNumberedOutsideStringLiterals() {
        let translated = translate("SELECT '?' AS q, a FROM t WHERE b = ? AND c = ?")
        #expect(translated.sql == "SELECT '?' AS q, a FROM t WHERE b = $1 AND c = $2")
        #expect(translated.parameterCount == 2)
    }

    @Test func jsonArraysBecomeAnyAndAllWithArrayArguments() {
        let translated = translate(
            "SELECT 1 FROM t WHERE a IN (SELECT value FROM json_each(?)) AND b NOT IN (SELECT value FROM json_each(?))"
        )
        #expect(translated.sql == "SELECT 1 FROM t WHERE a = ANY($1) AND b <> ALL($2)")
        #expect(translated.arrayParameters == [0, 1])
        #expect(PostgresDialect.arrayLiteral(.text(#"[1, 2]"#)) == .text("{1,2}"))
        #expect(PostgresDialect.arrayLiteral(.text(#"["a\"b", "c"]"#)) == .text(#"{"a\"b","c"}"#))
    }

    @Test func upsertsAndIgnoredInsertsBecomeOnConflict() {
        #expect(
            translate("INSERT OR IGNORE INTO f (a, b) VALUES (?, ?)").sql
                == "INSERT INTO f (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        #expect(
            translate("INSERT OR REPLACE INTO kernel_state (key, value) VALUES (?, ?)").sql
                == "INSERT INTO kernel_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
        )
        #expect(translate("INSERT INTO t (id, a) VALUES (?, ?)").explicitIDTable == "t")
        #expect(translate("INSERT INTO t (a) VALUES (?)").explicitIDTable == nil)
    }

    @Test func schemaTypesWidenAndKeysBecomeSequences() {
        let translated = translate(
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, r REAL, b BLOB) WITHOUT ROWID"
        )
        #expect(
            translated.sql
                == "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, r DOUBLE PRECISION, b BYTEA)"
        )
    }

    @Test func sqliteIdiomsBecomePostgreSQLs() {
        #expect(translate("SELECT max(a, b), MAX(c) FROM t").sql == "SELECT greatest(a, b), MAX(c) FROM t")
        #expect(
            translate("SELECT 1 FROM t WHERE name LIKE ? ESCAPE '\\'").sql
                == "SELECT 1 FROM t WHERE name ILIKE $1 ESCAPE '\\'")
        #expect(
            translate("SELECT SUM(status = 'booked') AS n FROM t").sql
                == "SELECT SUM(CASE WHEN status = 'booked' THEN 1 ELSE 0 END) AS n FROM t")
        #expect(
            translate("SELECT COUNT(*) FROM (SELECT 1 FROM t LIMIT ?)").sql
                == "SELECT COUNT(*) FROM (SELECT 1 FROM t LIMIT $1) AS pln_subquery_1")
        #expect(
            translate("SELECT 1 FROM t WHERE (? IS NULL OR s = ?)").sql
                == "SELECT 1 FROM t WHERE ($1::text IS NULL OR s = $2)")
        #expect(
            translate("SELECT id FROM c WHERE hidden = 0 OR ?").sql
                == "SELECT id FROM c WHERE hidden = 0 OR ($1 <> 0)")
        #expect(
            translate("SELECT a FROM t WHERE +m IN (SELECT value FROM json_each(?))").sql
                == "SELECT a FROM t WHERE m = ANY($1)")
        #expect(
            translate("SELECT count(*) FROM n INDEXED BY n_unread WHERE r = ?").sql
                == "SELECT count(*) FROM n WHERE r = $1")
        #expect(translate("SELECT a FROM t NOT INDEXED WHERE b = 1").sql == "SELECT a FROM t WHERE b = 1")
        #expect(translate("BEGIN IMMEDIATE").sql == "BEGIN ISOLATION LEVEL SERIALIZABLE")
        #expect(translate("DROP TABLE \"t\"").sql == "DROP TABLE \"t\" CASCADE")
    }

    @Test func aClaimSkipsRowsOtherServersHold() {
        let translated = translate(
            "UPDATE jobs SET status = 'running' WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1) RETURNING id"
        )
        #expect(translated.sql.contains("ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id"))
        // A batch claim (the outbox's) skips them the same way.
        let batch = translate(
            "UPDATE outbox SET next_attempt_at = ? WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?) RETURNING *"
        )
        #expect(batch.sql.contains("ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING *"))
        // Only a claim of the same table's rows by id: other subqueries are left alone.
        let other = translate("UPDATE a SET n = 1 WHERE id IN (SELECT id FROM b ORDER BY id LIMIT ?)")
        #expect(!other.sql.contains("SKIP LOCKED"))
    }

    @Test func scriptsSplitAtSemicolonsOutsideQuotesCommentsAndBodies() {
        let statements = PostgresDialect.statements(
            of:
                "CREATE TABLE a (x TEXT DEFAULT ';'); -- don't split; here\nDO $$ BEGIN PERFORM 1; END $$; SELECT 2"
        )
        #expect(statements.count == 3)
    }

    @Test func passwordsStayOutOfMessages() {
        #expect(PostgresSession.redacted("postgres://pln:secret@db:5432/pln") == "postgres://pln@db:5432/pln")
    }
}
