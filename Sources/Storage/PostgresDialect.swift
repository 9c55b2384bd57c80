import Foundation

/// Which SQL engine a ``Database`` talks to.
public enum Dialect: String, Sendable, Equatable {
    /// The embedded default: one file, WAL mode.
    case sqlite
    /// A PostgreSQL server, through libpq.
    case postgres
}

/// The one place where PLN's SQL (written for SQLite) becomes PostgreSQL's. Modules write one
/// SQL text; ``translate(_:primaryKey:)`` rewrites what differs:
///
/// - `?` placeholders become `$1, $2 …`; `? IS NULL` gets a type (`$1::text IS NULL`);
/// - `x IN (SELECT value FROM json_each(?))` becomes `x = ANY($n)` (and `NOT IN` `<> ALL`), the
///   JSON array argument being sent as a PostgreSQL array;
/// - `INSERT OR IGNORE` becomes `ON CONFLICT DO NOTHING`, `INSERT OR REPLACE` an upsert on the
///   table's primary key;
/// - in DDL, `INTEGER PRIMARY KEY [AUTOINCREMENT]` becomes `BIGSERIAL PRIMARY KEY`, `INTEGER`
///   `BIGINT` (dates are milliseconds), `REAL` `DOUBLE PRECISION`, `BLOB` `BYTEA`;
///   `COLLATE NOCASE` names the ICU collation `nocase` the bootstrap creates;
/// - `LIKE` becomes `ILIKE` (SQLite's LIKE ignores ASCII case), scalar `max(a, b)`/`min(a, b)`
///   become `greatest`/`least`, the unary `+` that turns off an index in SQLite is dropped, and
///   so are `INDEXED BY name` and `NOT INDEXED` (SQLite's planner without statistics may pick
///   the wrong one of two indexes; PostgreSQL's has statistics),
///   `ORDER BY rowid` becomes `ORDER BY ctid` (insertion order for tables never updated);
/// - `BEGIN IMMEDIATE` becomes a SERIALIZABLE transaction, `PRAGMA foreign_keys` the session's
///   replication role, and `DROP TABLE` cascades to the foreign keys that name the table.
///
/// What cannot be translated (triggers) is written twice: a ``Migration`` carries a PostgreSQL
/// form.
enum PostgresDialect {
    struct Translated {
        var sql: String
        var parameterCount: Int
        /// 0-based positions of arguments holding a JSON array, to send as a PostgreSQL array.
        var arrayParameters: Set<Int> = []
        /// The table an INSERT names explicit ids for: its sequence must be moved past them.
        var explicitIDTable: String?
        /// The table an INSERT writes to.
        var insertTable: String?
    }

    /// Statements run once per database before migrations: the collation behind `COLLATE
    /// NOCASE`, `sqlite_schema` and `pragma_table_info` over the catalog for code that asks
    /// which tables and columns exist, and the function that moves a sequence past explicit ids.
    static let bootstrap = """
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'nocase') THEN
                CREATE COLLATION public.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
            END IF;
        END $$;
        CREATE OR REPLACE VIEW public.sqlite_schema AS
            SELECT 'table'::text AS type, tablename::text AS name, tablename::text AS tbl_name, NULL::text AS sql
                FROM pg_tables WHERE schemaname = current_schema()
            UNION ALL SELECT 'index', indexname::text, tablename::text, indexdef::text
                FROM pg_indexes WHERE schemaname = current_schema()
            UNION ALL SELECT 'view', viewname::text, viewname::text, NULL
                FROM pg_views WHERE schemaname = current_schema();
        CREATE OR REPLACE VIEW public.sqlite_master AS SELECT * FROM public.sqlite_schema;
        CREATE OR REPLACE FUNCTION public.pragma_table_info(tbl text) RETURNS TABLE (
            cid int, name text, type text, "notnull" int, dflt_value text, pk int) LANGUAGE sql STABLE AS $f$
            SELECT (a.attnum - 1)::int, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull::int,
                pg_get_expr(d.adbin, d.adrelid),
                COALESCE((SELECT array_position(i.indkey::int2[], a.attnum) FROM pg_index i
                    WHERE i.indrelid = a.attrelid AND i.indisprimary), 0)::int
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = to_regclass(tbl) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
        $f$;
        CREATE OR REPLACE FUNCTION public.pln_sync_id(tbl text) RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE seq text := pg_get_serial_sequence(tbl, 'id'); top bigint; cur bigint; called boolean;
        BEGIN
            IF seq IS NULL THEN RETURN; END IF;
            EXECUTE format('SELECT max(id) FROM %I', tbl) INTO top;
            EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO cur, called;
            IF top IS NOT NULL AND (top > cur OR (top = cur AND NOT called)) THEN PERFORM setval(seq, top); END IF;
        END $f$;
        """

    /// The statements of a script, split at semicolons outside quotes and `$$` bodies.
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?
        var dollar = false
        var comment = false
        var previous: Character = " "
        for character in script {
            current.append(character)
            if comment {
                if character == "\n" { comment = false }
            } else if dollar {
                if character == "$" && previous == "$" { dollar = false }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "-" && previous == "-" {
                comment = true
            } else if character == "$" && previous == "$" {
                dollar = true
            } else if character == ";" {
                current.removeLast()
                if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    statements.append(current)
                }
                current = ""
            }
            previous = dollar && character == "$" && previous == "$" ? " " : character
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { statements.append(current) }
        return statements
    }

    static func translate(_ sql: String, primaryKey: (String) throws -> [String]) rethrows -> Translated {
        var text = sql
        let upper = sql.uppercased()
        let trimmed = upper.drop { $0.isWhitespace }
        if trimmed.hasPrefix("PRAGMA") { return Translated(sql: pragma(upper), parameterCount: 0) }
        if trimmed.hasPrefix("BEGIN IMMEDIATE") || trimmed.hasPrefix("BEGIN EXCLUSIVE") {
            return Translated(sql: "BEGIN ISOLATION LEVEL SERIALIZABLE", parameterCount: 0)
        }
        if trimmed.hasPrefix("BEGIN DEFERRED") {
            return Translated(sql: "BEGIN ISOLATION LEVEL REPEATABLE READ", parameterCount: 0)
        }
        text = replace(
            #"(?i)\bNOT\s+IN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*\?\s*\)\s*\)"#, in: text,
            with: "<> ALL(?A)")
        text = replace(
            #"(?i)\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*\?\s*\)\s*\)"#, in: text,
            with: "= ANY(?A)")
        text = replace(
            #"(?i)(\b(?:AND|OR|WHERE|ON|NOT|WHEN|THEN|ELSE|SELECT|BY)\s+|\()\+(?=[A-Za-z_])"#, in: text,
            with: "$1")
        text = replace(#"(?i)\s+(?:INDEXED\s+BY\s+\w+|NOT\s+INDEXED)\b"#, in: text, with: "")
        text = replace(#"(?i)\bORDER\s+BY\s+rowid\b"#, in: text, with: "ORDER BY ctid")
        text = replace(#"(?i)\bNOT\s+LIKE\b"#, in: text, with: "NOT ILIKE")
        text = replace(#"(?i)(?<!NOT )\bLIKE\b"#, in: text, with: "ILIKE")
        text = greatestAndLeast(text)
        text = aliasSubqueries(text)
        text = sumsOfConditions(text)
        // The claim idiom (`UPDATE t … WHERE id = (SELECT id FROM t … LIMIT 1) RETURNING …`, or
        // `WHERE id IN (SELECT id FROM t … LIMIT ?)` for a batch): on PostgreSQL servers claim
        // different rows instead of waiting for each other.
        text = replace(
            #"(?is)^(\s*UPDATE\s+(\w+)\s.*?\bWHERE\s+id\s*(?:=|IN)\s*\(\s*SELECT\s+id\s+FROM\s+\2\b.*?\bLIMIT\s+(?:1|\?))\s*\)"#,
            in: text, with: "$1 FOR UPDATE SKIP LOCKED)")
        var result = Translated(sql: text, parameterCount: 0)
        if trimmed.hasPrefix("CREATE") || trimmed.hasPrefix("ALTER") {
            text = replace(
                #"(?i)\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?"#, in: text, with: "BIGSERIAL PRIMARY KEY")
            text = replace(
                #"(?i)\)\s*(WITHOUT\s+ROWID|STRICT)(\s*,\s*(WITHOUT\s+ROWID|STRICT))*\s*;?\s*$"#, in: text,
                with: ")")
        }
        text = replace(#"(?i)\bINTEGER\b"#, in: text, with: "BIGINT")
        text = replace(#"(?i)\bREAL\b"#, in: text, with: "DOUBLE PRECISION")
        text = replace(#"(?i)\bBLOB\b"#, in: text, with: "BYTEA")
        if trimmed.hasPrefix("DROP TABLE"), !upper.contains("CASCADE") {
            text = text.trimmingCharacters(in: CharacterSet(charactersIn: "; \n")) + " CASCADE"
        }
        if trimmed.hasPrefix("INSERT") || trimmed.hasPrefix("REPLACE") {
            text = try insert(text, primaryKey: primaryKey, result: &result)
        }
        number(&text, result: &result)
        text = replace(#"(\$[0-9]+)\s+IS\s+(NOT\s+)?NULL"#, in: text, with: "$1::text IS $2NULL")
        // A parameter standing alone as a condition (`… OR ?`): SQLite takes 0/1 as false/true.
        if text.contains("$") {
            text = replace(
                #"(?i)((?<!BETWEEN \$\d{1,3} )\b(?:OR|AND|WHERE|NOT|WHEN)\s+)(\$\d+)(?=\s*(?:\)|\bOR\b|\bAND\b|\bTHEN\b|$))"#,
                in: text, with: "$1($2 <> 0)")
            text = replace(#"(?i)(\(\s*)(\$\d+)(?=\s+(?:OR|AND)\b)"#, in: text, with: "$1($2 <> 0)")
        }
        result.sql = text
        return result
    }

    // MARK: Pieces

    static func pragma(_ upper: String) -> String {
        let compact = upper.filter { !$0.isWhitespace }
        if compact.hasPrefix("PRAGMAFOREIGN_KEYS=OFF") { return "SET session_replication_role = replica" }
        if compact.hasPrefix("PRAGMAFOREIGN_KEYS=ON") { return "SET session_replication_role = origin" }
        // Other pragmas (synchronous, legacy_alter_table …) tune SQLite alone.
        return "SELECT 1 WHERE false"
    }

    /// `INSERT OR IGNORE` / `INSERT OR REPLACE`, and notes explicit ids.
    static func insert(_ sql: String, primaryKey: (String) throws -> [String], result: inout Translated)
        rethrows -> String
    {
        var text = sql
        let pattern =
            #"(?is)^\s*(?:INSERT\s+OR\s+(IGNORE|REPLACE)|INSERT|REPLACE)\s+INTO\s+"?([A-Za-z_][A-Za-z0-9_]*)"?\s*(?:AS\s+\w+\s*)?(\(([^)]*)\))?"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let tableRange = Range(match.range(at: 2), in: text)
        else { return text }
        let table = String(text[tableRange])
        result.insertTable = table
        let columns =
            Range(match.range(at: 4), in: text).map {
                text[$0].split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(
                        in: CharacterSet(charactersIn: "\""))
                }
            } ?? []
        if columns.contains(where: { $0.lowercased() == "id" }) { result.explicitIDTable = table }
        let orRange = Range(match.range(at: 1), in: text)
        let conflict =
            orRange.map { text[$0].uppercased() }
            ?? (text.uppercased().drop { $0.isWhitespace }.hasPrefix("REPLACE") ? "REPLACE" : nil)
        guard let conflict else { return text }
        let head = Range(match.range(at: 0), in: text)!
        let columnPart = Range(match.range(at: 3), in: text).map { String(text[$0]) } ?? ""
        text.replaceSubrange(head, with: "INSERT INTO \(table) \(columnPart)")
        var clause: String
        if conflict == "IGNORE" {
            clause = " ON CONFLICT DO NOTHING"
        } else {
            let key = try primaryKey(table)
            let others = columns.filter { column in !key.contains { $0.lowercased() == column.lowercased() } }
            if key.isEmpty {
                clause = ""
            } else if others.isEmpty {
                clause = " ON CONFLICT (\(key.joined(separator: ", "))) DO NOTHING"
            } else {
                clause =
                    " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET "
                    + others.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
            }
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "; \n\t"))
        if let returning = text.range(of: #"(?i)\sRETURNING\s"#, options: .regularExpression) {
            text.insert(contentsOf: clause, at: returning.lowerBound)
        } else {
            text += clause
        }
        return text
    }

    /// Numbers `?` placeholders (outside string literals and quoted names); `?A` marks a JSON
    /// array argument.
    static func number(_ text: inout String, result: inout Translated) {
        guard text.contains("?") else { return }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var quote: Character?
        var count = 0
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                out.append(character)
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
                out.append(character)
            } else if character == "?" {
                count += 1
                out += "$\(count)"
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == "A" {
                    result.arrayParameters.insert(count - 1)
                    index = next
                }
            } else {
                out.append(character)
            }
            index = text.index(after: index)
        }
        result.parameterCount = count
        text = out
    }

    /// Scalar `max(a, b)` → `greatest(a, b)`, `min(a, b)` → `least(a, b)`; one-argument
    /// aggregates stay.
    static func greatestAndLeast(_ sql: String) -> String {
        guard sql.range(of: #"(?i)\b(max|min)\s*\("#, options: .regularExpression) != nil else { return sql }
        var characters = Array(sql)
        var index = 0
        while index < characters.count - 3 {
            let word = String(characters[index..<index + 3]).lowercased()
            let before = index == 0 ? " " : characters[index - 1]
            if (word == "max" || word == "min") && !(before.isLetter || before.isNumber || before == "_") {
                var open = index + 3
                while open < characters.count && characters[open] == " " { open += 1 }
                if open < characters.count && characters[open] == "(" {
                    var depth = 0
                    var hasComma = false
                    var position = open
                    while position < characters.count {
                        let c = characters[position]
                        if c == "(" { depth += 1 }
                        if c == ")" {
                            depth -= 1
                            if depth == 0 { break }
                        }
                        if c == "," && depth == 1 { hasComma = true }
                        position += 1
                    }
                    if hasComma {
                        let name = Array(word == "max" ? "greatest" : "least")
                        characters.replaceSubrange(index..<index + 3, with: name)
                        index += name.count
                        continue
                    }
                }
            }
            index += 1
        }
        return String(characters)
    }

    /// `SUM(a = b)` counts rows where a condition holds (SQLite's true is 1): on PostgreSQL
    /// `SUM(CASE WHEN a = b THEN 1 ELSE 0 END)`.
    static func sumsOfConditions(_ sql: String) -> String {
        guard sql.range(of: #"(?i)\bSUM\s*\("#, options: .regularExpression) != nil else { return sql }
        var characters = Array(sql)
        var index = 0
        while index + 3 < characters.count {
            let word = String(characters[index..<index + 3]).uppercased()
            let before = index == 0 ? " " : characters[index - 1]
            guard word == "SUM", !(before.isLetter || before.isNumber || before == "_") else {
                index += 1
                continue
            }
            var open = index + 3
            while open < characters.count && characters[open] == " " { open += 1 }
            guard open < characters.count, characters[open] == "(" else {
                index += 1
                continue
            }
            var depth = 0
            var position = open
            while position < characters.count {
                if characters[position] == "(" { depth += 1 }
                if characters[position] == ")" {
                    depth -= 1
                    if depth == 0 { break }
                }
                position += 1
            }
            guard position < characters.count else { break }
            let argument = String(characters[(open + 1)..<position])
            let upper = argument.uppercased().trimmingCharacters(in: .whitespaces)
            let isCondition =
                !upper.hasPrefix("CASE") && !upper.hasPrefix("DISTINCT")
                && argument.range(of: #"(?i)(=|<|>|\bIN\s*\(|\bIS\b|\bLIKE\b)"#, options: .regularExpression)
                    != nil
            if isCondition {
                let replacement = Array("(CASE WHEN \(argument) THEN 1 ELSE 0 END)")
                characters.replaceSubrange(open...position, with: replacement)
            }
            index = open + 1
        }
        return String(characters)
    }

    /// `FROM (SELECT …)` without a name gets one: PostgreSQL 15 requires it.
    static func aliasSubqueries(_ sql: String) -> String {
        guard sql.range(of: #"(?i)\bFROM\s*\(\s*SELECT\b"#, options: .regularExpression) != nil else {
            return sql
        }
        var characters = Array(sql)
        var count = 0
        var searchStart = 0
        while true {
            let text = String(characters)
            let range = NSRange(location: searchStart, length: (text as NSString).length - searchStart)
            guard let regex = cache.regex(#"(?i)\bFROM\s*\(\s*SELECT\b"#),
                let match = regex.firstMatch(in: text, range: range)
            else { break }
            // Offsets: the SQL is ASCII around keywords; map the UTF-16 offset to characters.
            guard let matchRange = Range(match.range, in: text) else { break }
            let start = text.distance(from: text.startIndex, to: matchRange.lowerBound)
            var open = start
            while characters[open] != "(" { open += 1 }
            var depth = 0
            var position = open
            var quote: Character?
            while position < characters.count {
                let c = characters[position]
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == "'" || c == "\"" {
                    quote = c
                } else if c == "(" {
                    depth += 1
                } else if c == ")" {
                    depth -= 1
                    if depth == 0 { break }
                }
                position += 1
            }
            guard position < characters.count else { break }
            var next = position + 1
            while next < characters.count && characters[next].isWhitespace { next += 1 }
            let rest = String(characters[next..<min(characters.count, next + 12)]).uppercased()
            let keywords = [
                "WHERE", "GROUP", "ORDER", "LIMIT", "UNION", "JOIN", "LEFT", "INNER", "CROSS", "HAVING",
                "OFFSET", "EXCEPT", "INTERSECT", "ON ",
            ]
            let named =
                next < characters.count
                && (characters[next].isLetter || characters[next] == "\"" || characters[next] == "_")
                && !keywords.contains { rest.hasPrefix($0) }
            if !named {
                count += 1
                let alias = Array(" AS pln_subquery_\(count)")
                characters.insert(contentsOf: alias, at: position + 1)
            }
            searchStart = (String(characters[..<(open + 1)]) as NSString).length
        }
        return String(characters)
    }

    /// A JSON array (`[1, 2]`, `["a", "b"]`) as a PostgreSQL array literal (`{1,2}`,
    /// `{"a","b"}`); anything else is passed through.
    static func arrayLiteral(_ value: DatabaseValue) -> DatabaseValue {
        guard case .text(let json) = value,
            let array = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any]
        else { return value }
        let elements = array.map { element -> String in
            if let string = element as? String {
                return "\""
                    + string.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                        of: "\"", with: "\\\"") + "\""
            }
            if element is NSNull { return "NULL" }
            if let number = element as? NSNumber { return number.stringValue }
            return "\"\(element)\""
        }
        return .text("{" + elements.joined(separator: ",") + "}")
    }

    static func replace(_ pattern: String, in text: String, with template: String) -> String {
        guard let regex = cache.regex(pattern) else { return text }
        return regex.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    static let cache = RegexCache()
}

/// Compiled patterns, shared by every connection.
final class RegexCache: @unchecked Sendable {
    // @unchecked: `compiled` is only touched under `lock`.
    private var compiled: [String: NSRegularExpression] = [:]
    private let lock = NSLock()

    func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let regex = compiled[pattern] { return regex }
        let regex = try? NSRegularExpression(pattern: pattern)
        compiled[pattern] = regex
        return regex
    }
}
