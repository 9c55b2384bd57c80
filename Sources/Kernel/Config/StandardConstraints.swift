import Foundation

/// The constraints settings share: text, lists, names of things, addresses.
///
/// ```swift
/// .init(name: "from", type: .string, default: .string("pln@localhost"), doc: "From address.",
///       constraint: .emailAddress)
/// ```
extension SettingConstraint {
    /// Not empty (nor only spaces).
    public static let nonEmpty = text("not empty") { text in
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            ? SettingProblem("must not be empty") : nil
    }

    /// One line of text: no line breaks, control characters or direction overrides (which
    /// would let a name break a header or a log line, or read backwards).
    public static let singleLine = text("one line of text") { text in
        guard let bad = text.unicodeScalars.first(where: isForbiddenInLine) else { return nil }
        let cleaned = String(
            String.UnicodeScalarView(text.unicodeScalars.map { isForbiddenInLine($0) ? " " : $0 })
        )
        .split(separator: " ").joined(separator: " ")
        return SettingProblem(
            "must be one line of text, without control characters (found U+\(String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)))",
            suggestion: cleaned)
    }

    /// Empty, or a PostgreSQL URL libpq understands.
    public static let postgresURL = text("empty, or postgres://user:password@host:port/database") { text in
        text.isEmpty || text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
            ? nil : SettingProblem("must start with postgres:// (or be empty, for SQLite at storage.path)")
    }

    /// A non-empty line of text: names, titles, labels.
    public static let label = all(nonEmpty, singleLine)

    /// A list in which no item appears twice.
    public static let distinct = SettingConstraint("no item twice") { value, _ in
        var seen: [String: Int] = [:]
        var problems: [SettingProblem] = []
        for (index, item) in (value.listValue ?? []).enumerated() {
            let key = item.description
            if let first = seen[key] {
                problems.append(
                    SettingProblem("\(item) is already listed at [\(first)]", at: [.index(index)]))
            } else {
                seen[key] = index
            }
        }
        return problems
    }

    /// A key used in form field names and URLs: lower-case letters, digits and `_`, starting
    /// with a letter, at most 40 characters.
    public static let identifier = text("a key of lower-case letters, digits and _") { text in
        let scalars = Array(text.unicodeScalars)
        let valid =
            !scalars.isEmpty && scalars.count <= 40 && ("a"..."z").contains(scalars[0])
            && scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        if valid { return nil }
        var slug = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("_") {
                slug += "_"
            }
        }
        while slug.hasSuffix("_") { slug.removeLast() }
        while let first = slug.unicodeScalars.first, ("0"..."9").contains(first) { slug.removeFirst() }
        return SettingProblem(
            "must be lower-case letters, digits and _, starting with a letter (at most 40), got \"\(text)\"",
            suggestion: slug.isEmpty ? nil : String(slug.prefix(40)))
    }

    /// A file path: not empty, no control characters, not a folder.
    public static let filePath = text("a file path") { text in
        if text.isEmpty { return SettingProblem("must be a file path, got an empty string") }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return SettingProblem("must be a file path without control characters")
        }
        if text.hasSuffix("/") { return SettingProblem("must name a file, not a folder (it ends in /)") }
        return nil
    }

    /// Ids of modules compiled into this binary; naming one that is not enabled is a warning.
    public static let moduleIDs = SettingConstraint("ids of modules") { value, context in
        (value.listValue ?? []).enumerated().compactMap { index, item in
            guard let id = item.stringValue else { return nil }
            if !context.knownModules.contains(id) {
                return SettingProblem(
                    "unknown module \"\(id)\" (this binary has: \(context.knownModules.joined(separator: ", ")))",
                    at: [.index(index)], candidates: context.knownModules, written: id)
            }
            if !context.enabledModules.contains(id) {
                return SettingProblem(
                    "names module \"\(id)\", which is not enabled in modules(...)", at: [.index(index)],
                    isWarning: true)
            }
            return nil
        }
    }

    /// A command to run: empty (none), or an absolute path to a program and its arguments.
    /// A program missing on this machine is only a warning: the config may be checked elsewhere.
    public static let command = SettingConstraint("[] or an absolute program path and its arguments") {
        value, _ in
        let parts = (value.listValue ?? []).compactMap(\.stringValue)
        guard let program = parts.first else { return [] }
        var problems: [SettingProblem] = []
        if !program.hasPrefix("/") {
            problems.append(
                SettingProblem(
                    "the program must be an absolute path (it is not looked up in PATH), got \"\(program)\"",
                    at: [.index(0)], suggestion: "/usr/sbin/" + (program as NSString).lastPathComponent))
        } else if !FileManager.default.isExecutableFile(atPath: program) {
            problems.append(
                SettingProblem(
                    "\(program) is not an executable program on this machine; mail will wait in the outbox",
                    at: [.index(0)], isWarning: true))
        }
        for (index, part) in parts.enumerated() where part.isEmpty {
            problems.append(SettingProblem("an argument must not be empty", at: [.index(index)]))
        }
        return problems
    }

    /// Words to hold posts for; "re:<pattern>" must be a valid regular expression.
    public static let heldWords = each(
        text("a word, or re: and a regular expression") { word in
            if word.trimmingCharacters(in: .whitespaces).isEmpty {
                return SettingProblem("must not be empty")
            }
            guard word.hasPrefix("re:") else { return nil }
            let pattern = String(word.dropFirst(3))
            if pattern.isEmpty { return SettingProblem("\"re:\" needs a regular expression after it") }
            do {
                _ = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                return nil
            } catch {
                return SettingProblem("\"\(pattern)\" is not a valid regular expression")
            }
        })

    static func isForbiddenInLine(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.generalCategory == .control { return true }
        // Bidirectional embeddings, overrides and isolates.
        return (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
