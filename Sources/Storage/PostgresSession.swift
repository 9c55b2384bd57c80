import CLibPQ
import Foundation

/// One libpq session: a PostgreSQL connection with its own prepared statements. A
/// ``Connection`` of a PostgreSQL ``Database`` owns exactly one; it is used by one thread at a
/// time, like a SQLite handle.
final class PostgresSession {
    let handle: OpaquePointer
    /// The database as shown in messages: the URL without its password.
    let displayName: String
    private var preparedCount = 0

    init(url: String, statementTimeoutMilliseconds: Int) throws {
        displayName = PostgresSession.redacted(url)
        guard let pointer = PQconnectdb(url) else {
            throw StorageError(
                kind: .postgres, message: "libpq could not allocate a connection", path: displayName)
        }
        guard PQstatus(pointer) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(pointer)).trimmingCharacters(
                in: .whitespacesAndNewlines)
            PQfinish(pointer)
            throw StorageError(
                kind: .postgres, message: "cannot connect: \(message)", path: displayName, sqlState: "08001")
        }
        handle = pointer
        // Quiet: notices (e.g. "relation already exists, skipping") would go to stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        var setup =
            "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET client_min_messages = warning;"
        if statementTimeoutMilliseconds > 0 {
            setup += " SET statement_timeout = \(statementTimeoutMilliseconds);"
        }
        try run(setup)
    }

    deinit { PQfinish(handle) }

    /// `postgres://user:secret@host/db` → `postgres://user@host/db`.
    static func redacted(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://"),
            let colon = url[scheme.upperBound..<at].firstIndex(of: ":")
        else { return url }
        return String(url[..<colon]) + String(url[at...])
    }

    /// Runs a script of statements without parameters (simple query protocol).
    func run(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql: sql, arguments: nil)
    }

    /// Prepares `sql` on the server under a fresh name; `types` are parameter type OIDs (0 lets
    /// the server infer).
    func prepare(_ sql: String, types: [UInt32]) throws -> String {
        preparedCount += 1
        let name = "pln_\(preparedCount)"
        let result = types.withUnsafeBufferPointer { buffer in
            PQprepare(handle, name, sql, Int32(types.count), buffer.baseAddress)
        }
        defer { PQclear(result) }
        try check(result, sql: sql, arguments: nil)
        return name
    }

    /// Executes a prepared statement with text-format parameters; returns the result, which
    /// the caller must clear.
    func execute(prepared name: String, sql: String, arguments: [DatabaseValue]) throws -> OpaquePointer {
        let texts: [String?] = arguments.map(PostgresSession.text)
        let result: OpaquePointer? = withCStrings(texts) { pointers in
            PQexecPrepared(handle, name, Int32(pointers.count), pointers, nil, nil, 0)
        }
        do {
            try check(result, sql: sql, arguments: arguments)
        } catch {
            PQclear(result)
            throw error
        }
        return result!
    }

    /// Runs one statement with text parameters, unprepared (catalog look-ups); returns the rows
    /// as text.
    func rows(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let result: OpaquePointer? = withCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: sql, arguments: parameters.map { $0.map(DatabaseValue.text) ?? .null })
        guard let result else { return [] }
        return (0..<PQntuples(result)).map { row in
            (0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }

    /// A parameter in PostgreSQL's text format (bytea as hex).
    static func text(_ value: DatabaseValue) -> String? {
        switch value {
        case .null: return nil
        case .integer(let v): return String(v)
        case .real(let v):
            return v.isFinite ? String(v) : (v.isNaN ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"))
        case .text(let v): return v
        case .blob(let bytes):
            let digits = Array("0123456789abcdef".utf8)
            var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
            out.reserveCapacity(2 + bytes.count * 2)
            for byte in bytes {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 15)])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private func check(_ result: OpaquePointer?, sql: String, arguments: [DatabaseValue]?) throws {
        let status = PQresultStatus(result)
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY { return }
        var message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        var state = ""
        if let result {
            if let field = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) {
                state = String(cString: field)
            }
            if let field = PQresultErrorField(result, Int32(UInt8(ascii: "M"))) {
                message = String(cString: field)
            }
        }
        if PQstatus(handle) != CONNECTION_OK && state.isEmpty { state = "08006" }
        throw StorageError(
            kind: .postgres, message: message, sql: sql, arguments: arguments, path: displayName,
            sqlState: state)
    }

    /// True while the server connection is usable (a pool drops broken sessions).
    var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// True when the session is inside a transaction block (or a failed one).
    var isInTransaction: Bool {
        let state = PQtransactionStatus(handle)
        return state == PQTRANS_INTRANS || state == PQTRANS_INERROR
    }
}

/// Calls `body` with C strings for `strings` (nil stays a null pointer), valid only inside it.
private func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var storage: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { for pointer in storage { free(pointer) } }
    return storage.withUnsafeMutableBufferPointer { buffer in
        body(buffer.map { UnsafePointer($0) })
    }
}

/// Reading a PostgreSQL result (text format) as ``DatabaseValue``s.
struct PostgresResult {
    static let bool: UInt32 = 16, bytea: UInt32 = 17, int8: UInt32 = 20, int2: UInt32 = 21, int4: UInt32 = 23
    static let oid: UInt32 = 26, float4: UInt32 = 700, float8: UInt32 = 701, numeric: UInt32 = 1700

    static func columnNames(_ result: OpaquePointer) -> [String] {
        (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
    }

    static func columnTypes(_ result: OpaquePointer) -> [UInt32] {
        (0..<PQnfields(result)).map { PQftype(result, $0) }
    }

    static func value(_ result: OpaquePointer, row: Int32, column: Int32, type: UInt32) -> DatabaseValue {
        if PQgetisnull(result, row, column) == 1 { return .null }
        guard let pointer = PQgetvalue(result, row, column) else { return .null }
        let length = Int(PQgetlength(result, row, column))
        let bytes = UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self)
        let buffer = UnsafeBufferPointer(start: bytes, count: length)
        switch type {
        case int8, int2, int4, oid:
            return Int64(String(decoding: buffer, as: UTF8.self)).map(DatabaseValue.integer) ?? .null
        case bool:
            return .integer(length > 0 && bytes[0] == UInt8(ascii: "t") ? 1 : 0)
        case float4, float8:
            return Double(String(decoding: buffer, as: UTF8.self)).map(DatabaseValue.real) ?? .null
        case numeric:
            let text = String(decoding: buffer, as: UTF8.self)
            if let integer = Int64(text) { return .integer(integer) }
            if text.hasSuffix(".0")
                || text.contains(".") && text.reversed().prefix { $0 != "." }.allSatisfy({ $0 == "0" }),
                let integer = Int64(text.prefix { $0 != "." })
            {
                return .integer(integer)
            }
            return Double(text).map(DatabaseValue.real) ?? .text(text)
        case bytea:
            return .blob(hexDecoded(buffer))
        default:
            return .text(String(decoding: buffer, as: UTF8.self))
        }
    }

    /// bytea's text output, `\x0a1b…`.
    static func hexDecoded(_ buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard buffer.count >= 2, buffer[0] == UInt8(ascii: "\\"), buffer[1] == UInt8(ascii: "x") else {
            return Array(buffer)
        }
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return c - UInt8(ascii: "A") + 10
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity((buffer.count - 2) / 2)
        var index = 2
        while index + 1 < buffer.count {
            out.append(nibble(buffer[index]) << 4 | nibble(buffer[index + 1]))
            index += 2
        }
        return out
    }
}
