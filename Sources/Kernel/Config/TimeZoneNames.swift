import Foundation

/// The time zone names this machine knows: Foundation's list and the tz database under
/// /usr/share/zoneinfo, plus "UTC".
///
/// ```swift
/// TimeZoneNames.isValid("Europe/London")      // true
/// TimeZoneNames.isValid("BST")                // false: an abbreviation, not a zone
/// TimeZoneNames.likelyMeant("london")         // "Europe/London"
/// ```
public enum TimeZoneNames {
    static let zoneinfo = "/usr/share/zoneinfo"

    /// Every accepted name, sorted.
    public static let all: [String] = {
        var names = Set(TimeZone.knownTimeZoneIdentifiers)
        names.insert("UTC")
        names.formUnion(databaseNames(in: zoneinfo))
        return names.filter { TimeZone(identifier: $0) != nil }.sorted()
    }()

    private static let lookup = Set(all)

    /// Whether `name` is a zone of the tz database (abbreviations like "BST" and offsets like
    /// "GMT+1" are not: "BST" is Bangladesh to Foundation, and an offset has no summer time).
    public static func isValid(_ name: String) -> Bool { lookup.contains(name) }

    /// A zone the writer probably meant when no spelling is close: another case, spaces for
    /// underscores, or a city without its region ("London" → "Europe/London").
    public static func likelyMeant(_ name: String) -> String? {
        let wanted = name.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_")
            .lowercased()
        guard !wanted.isEmpty else { return nil }
        if let exact = all.first(where: { $0.lowercased() == wanted }) { return exact }
        let cities = all.filter { $0.contains("/") && $0.split(separator: "/").last?.lowercased() == wanted }
        return cities.first(where: { !$0.hasPrefix("Etc/") }) ?? cities.first
    }

    /// Names of TZif files under the database folder, without the duplicate posix/ and right/ trees.
    static func databaseNames(in root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var names: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative == "posix" || relative == "right" || relative.hasPrefix("posix/")
                || relative.hasPrefix("right/")
            {
                walker.skipDescendants()
                continue
            }
            if relative.contains(".") || relative == "localtime" || relative == "posixrules"
                || relative == "Factory"
            {
                continue
            }
            guard let handle = FileHandle(forReadingAtPath: root + "/" + relative) else { continue }
            let magic = try? handle.read(upToCount: 4)
            try? handle.close()
            if magic == Data("TZif".utf8) { names.append(relative) }
        }
        return names
    }
}

extension SettingConstraint {
    /// A time zone of the tz database, like "Europe/London", or "UTC".
    public static let timeZone = text("a tz database zone name, like \"Europe/London\", or \"UTC\"") { name in
        if TimeZoneNames.isValid(name) { return nil }
        return SettingProblem(
            "unknown time zone \"\(name)\" (use a tz database name like \"Europe/London\", or \"UTC\")",
            suggestion: TimeZoneNames.likelyMeant(name), candidates: TimeZoneNames.all, written: name)
    }
}
