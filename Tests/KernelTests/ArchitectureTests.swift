import Foundation
import Testing

@testable import Kernel

/// The module contract, checked on the source tree: every table has one owner, and only its
/// owner's code names it in SQL; source files stay small enough to read.
///
/// The contract is being put in place module by module: `knownCrossings` and `knownLargeFiles`
/// list what is left to move. The test fails for anything new, and also when something listed is
/// gone, so the lists can only shrink.
@Suite struct ArchitectureTests {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Tables the kernel owns.
    static let kernelTables: Set<String> = Set(
        ["activities", "kernel_state", "outbox", "jobs", "pln_migrations"] + SQLiteSearchIndex.tables)

    /// SQL the kernel's storage layer reads that no one owns.
    static let systemNames: Set<String> = [
        "sqlite_schema", "sqlite_master", "sqlite_sequence", "json_each", "pragma_table_info",
    ]

    /// Owner of every table and view: the kernel's, and each module's `ownedTables` and
    /// `readModels`.
    static func owners() -> [String: String] {
        var owners: [String: String] = [:]
        for table in kernelTables { owners[table] = "kernel" }
        for type in allModules {
            let module = type.init()
            for table in module.ownedTables + module.readModels { owners[table] = type.manifest.id }
        }
        return owners
    }

    /// Views their owners publish: any module may read them.
    static func published() -> Set<String> { Set(allModules.flatMap { $0.init().readModels }) }

    /// "module → table" pairs where a module's code names, in SQL, a table it does not own.
    static let knownCrossings: Set<String> = []

    static let knownLargeFiles: Set<String> = []

    static func swiftFiles(under folder: String) -> [URL] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
            return []
        }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// Table names after the SQL keywords that name one.
    static func tablesNamed(in source: String) -> Set<String> {
        let pattern = #"\b(?:FROM|JOIN|INTO|UPDATE|TABLE(?: IF (?:NOT )?EXISTS)?|ON)\s+"?([a-z][a-z0-9_]*)"?"#
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        var names: Set<String> = []
        for match in expression.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
            if let range = Range(match.range(at: 1), in: source) { names.insert(String(source[range])) }
        }
        return names
    }

    @Test func everyModulesSQLNamesOnlyTablesItOwns() throws {
        let owners = Self.owners()
        let published = Self.published()
        var crossings: Set<String> = []
        for type in allModules {
            let id = type.manifest.id
            let folder = "Plugins/" + String(describing: type).replacingOccurrences(of: "Module", with: "")
            let files = Self.swiftFiles(under: folder)
            #expect(!files.isEmpty, "no sources for \(id) under \(folder)")
            for file in files {
                let source = try String(contentsOf: file, encoding: .utf8)
                for table in Self.tablesNamed(in: source) {
                    guard let owner = owners[table], owner != id, !published.contains(table) else { continue }
                    crossings.insert("\(id) → \(table)")
                }
            }
        }
        let new = crossings.subtracting(Self.knownCrossings).sorted()
        let gone = Self.knownCrossings.subtracting(crossings).sorted()
        #expect(
            new.isEmpty, "modules name tables they do not own (use the owner's service or read model): \(new)"
        )
        #expect(gone.isEmpty, "these crossings are gone: take them off knownCrossings: \(gone)")
    }

    /// The shell gets membership's links from Identity: the kernel names none of its paths.
    @Test func kernelNamesNoMembershipPaths() throws {
        var found: [String] = []
        for file in Self.swiftFiles(under: "Sources/Kernel") {
            // Code only: doc comments may show a module's route as an example.
            let source = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            for path in ["\"/members/", "/members/\\(", "\"/sign-in", "\"/sign-out", "\"/join"]
            where source.contains(path) {
                found.append("\(file.lastPathComponent): \(path)")
            }
        }
        #expect(found.isEmpty, "the kernel names membership's paths (ask Identity): \(found)")
    }

    /// Modules read each other's data through read models: a published view exists, and holds
    /// no e-mail address nor password hash.
    @Test func publishedReadModelsExistAndHoldNoSecrets() throws {
        let kernel = try bootKernel()
        for view in Self.published() {
            let columns = try kernel.services.database.read { db in
                try db.query("SELECT name FROM pragma_table_info(?)", [view]) {
                    try $0.value("name") as String
                }
            }
            #expect(!columns.isEmpty, "\(view) is published but no migration creates it")
            #expect(!columns.contains("email") && !columns.contains("password_hash"), "\(view): \(columns)")
        }
    }

    @Test func sourceFilesStayUnderFiveHundredLines() throws {
        // Parsers and generated data may be longer: they are read as one piece.
        let exempt: Set<String> = [
            "CommonPasswords.swift", "NamedCharacterReferences.swift", "BlockParser.swift",
            "InlineParser.swift",
            "Parser.swift", "Lexer.swift", "Resolver.swift", "Eval.swift", "HTTPRequestParser.swift",
        ]
        var large: Set<String> = []
        for folder in ["Sources", "Plugins"] {
            for file in Self.swiftFiles(under: folder) where !exempt.contains(file.lastPathComponent) {
                let lines = try String(contentsOf: file, encoding: .utf8).split(
                    separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 500 {
                    large.insert(file.path.replacingOccurrences(of: Self.root.path + "/", with: ""))
                }
            }
        }
        let new = large.subtracting(Self.knownLargeFiles).sorted()
        let gone = Self.knownLargeFiles.subtracting(large).sorted()
        #expect(new.isEmpty, "files over 500 lines: split them by sub-feature: \(new)")
        #expect(gone.isEmpty, "these files are small now: take them off knownLargeFiles: \(gone)")
    }

    /// Every route a module declares names its handler (`use: posts.show`, or a method passed
    /// to `web.api`): a trailing closure on `web.page`/`web.api`/`pages.get`… would hide a
    /// handler inside the route table.
    @Test func everyModuleRouteNamesItsHandler() throws {
        let pattern = try Regex(
            #"(\bweb\.(page|api)\(|\b[a-z]+\.(get|post|put|patch|delete)\(")[^\n]*\)\s*\{\s*(ctx|_|[a-z]+)\s+in"#
        )
        var anonymous: [String] = []
        for file in Self.swiftFiles(under: "Plugins") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(pattern) {
                anonymous.append(
                    "\(file.path.replacingOccurrences(of: Self.root.path + "/", with: "")):\(number + 1)")
            }
        }
        #expect(anonymous.isEmpty, "routes declared with an anonymous closure: \(anonymous)")
    }
}
