import Foundation
import HTTP

/// A module's part of the stylesheet, served as its own file (`/assets/<module>.css?v=…`, cached
/// like every asset) and linked only by pages whose markup its rules can match: a page of groups
/// links the kernel's sheet and the groups module's, the home page only the parts its sections
/// use. A first visit then loads what the page needs, not every module's rules (issue 20: the
/// signed-in home under 40 KB in all).
///
/// Which rules can match is decided by classes, conservatively: a rule needs every class its
/// selector names outside `:not(…)`, and a rule that names no class (an element or id selector)
/// links the sheet on every page. Classes that only scripts add are not seen, so a module styles
/// a script's markup only where its page's own markup already links the sheet.
///
/// ```swift
/// let sheet = ModuleStylesheet(module: "groups", css: GroupsStyles.css)
/// StylesheetLinker([sheet]).sheets(for: [page.text])   // [sheet] when the page can use it
/// ```
struct ModuleStylesheet: Sendable {
    let module: String
    let css: String
    /// In the URL, so a changed sheet is a new address and caches never mix versions.
    let version: String
    /// The classes of each rule's selector, when every rule has some; nil when a rule has none
    /// (the sheet is then linked on every page).
    let requirements: [[String]]?
    /// Every class any requirement names: the only ones worth collecting from a page.
    let classes: Set<String>
    /// Its address, version included.
    let path: String
    /// The page head's `<link>` for this sheet, made once.
    let link: String

    /// `linkedBy`: classes that link the sheet on their own, for a sheet whose rules style what a
    /// script adds (the Markdown editors' toolbar is linked by their Preview buttons' class).
    init(module: String, css: String, linkedBy: [String]? = nil) {
        self.module = module
        self.css = css
        version = String(SHA256.hex(css).prefix(10))
        path = "/assets/\(module).css?v=\(version)"
        link = "<link rel=\"stylesheet\" href=\"\(path)\">\n"
        let requirements =
            linkedBy.map { $0.map { [$0] } } ?? Self.selectors(in: css).map(Self.requiredClasses)
        // A rule naming no class, or a sheet with no readable rule (or linked by no class), is
        // linked on every page.
        let everywhere = requirements.isEmpty || requirements.contains { $0.isEmpty }
        self.requirements = everywhere ? nil : Array(Set(requirements)).sorted { $0.count < $1.count }
        classes = Set(requirements.joined())
    }

    /// True when some rule may match a page with these classes.
    func applies(to pageClasses: Set<String>) -> Bool {
        guard let requirements else { return true }
        return requirements.contains { rule in rule.allSatisfy { pageClasses.contains($0) } }
    }

    /// Every selector of every style rule, inside `@media`, `@supports`, `@layer`, `@container`
    /// and other blocks of rules too; the contents of `@keyframes`, `@font-face`, `@page` and
    /// the like are not selectors.
    static func selectors(in css: String) -> [String] {
        var selectors: [String] = []
        var prelude = ""
        var skipDepth = 0  // inside a rule's declarations or an at-rule skipped whole
        for character in withoutComments(css) {
            if skipDepth > 0 {
                if character == "{" { skipDepth += 1 } else if character == "}" { skipDepth -= 1 }
                continue
            }
            switch character {
            case "{":
                let head = prelude.trimmingCharacters(in: .whitespacesAndNewlines)
                prelude = ""
                // Blocks of rules (@media, @supports, @layer, @container, @scope …) are read
                // inside; only at-rules whose blocks hold no selectors are skipped whole.
                if head.hasPrefix("@") {
                    if Self.blocksWithoutSelectors.contains(where: { head.hasPrefix($0) }) { skipDepth = 1 }
                    continue
                }
                selectors += splitSelectorList(head)
                skipDepth = 1
            case "}": prelude = ""  // the end of an @media block
            case ";": prelude = ""  // an @import or @charset line
            default: prelude.append(character)
            }
        }
        return selectors
    }

    /// The CSS with its `/* comments */` taken out.
    static func withoutComments(_ css: String) -> String {
        var text = Substring(css)
        var kept = ""
        while let open = text.range(of: "/*") {
            kept += text[..<open.lowerBound]
            guard let close = text[open.upperBound...].range(of: "*/") else { return kept }
            text = text[close.upperBound...]
        }
        return kept + text
    }

    /// At-rules whose blocks hold declarations or keyframes, not style rules.
    static let blocksWithoutSelectors = [
        "@keyframes", "@-webkit-keyframes", "@font-face", "@page", "@counter-style", "@property",
        "@font-feature-values", "@font-palette-values",
    ]

    /// `a, b:is(.c, .d)` → `a`, `b:is(.c, .d)`: commas inside parentheses do not split.
    static func splitSelectorList(_ list: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in list {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            if character == "," && depth == 0 {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts.filter { !$0.isEmpty }
    }

    /// The classes a selector needs on the page: `.a .b>li:hover` → a, b; classes inside
    /// `:not(…)` are not needed, and those inside `:is(…)`/`:where(…)` are alternatives, so not
    /// counted either (a conservative answer links a sheet more often, never less).
    static func requiredClasses(_ selector: String) -> [String] {
        var classes: [String] = []
        var depth = 0
        var name: String?
        func finish() {
            if let current = name, !current.isEmpty { classes.append(current) }
            name = nil
        }
        for character in selector {
            if name != nil, character.isLetter || character.isNumber || character == "-" || character == "_" {
                name?.append(character)
                continue
            }
            finish()
            switch character {
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case "." where depth == 0: name = ""
            default: break
            }
        }
        finish()
        return Array(Set(classes)).sorted()
    }
}

/// Picks the module sheets a page links, in one pass over its bytes: each ` class="…"` value is
/// split into names, and each name is looked up, by an FNV-1a hash of its bytes, in a small
/// open-addressing table of the classes some sheet's rules need (no string is made per name).
/// About 30,000 instructions for a 23 KB conversation page of 260 class names.
struct StylesheetLinker: Sendable {
    let sheets: [ModuleStylesheet]
    /// For each sheet, each rule's class numbers; nil when the sheet is always linked.
    private let rules: [[[Int]]?]
    /// The needed classes' names, one after another, and where each starts and ends.
    private let nameBytes: [UInt8]
    private let nameBounds: [(start: Int, end: Int)]
    /// Slots of `number + 1` (0: empty), at each name's hash, probing linearly.
    private let table: [Int32]

    init(_ sheets: [ModuleStylesheet]) {
        self.sheets = sheets
        let names = Array(Set(sheets.flatMap(\.classes))).sorted()
        var bytes: [UInt8] = []
        var bounds: [(start: Int, end: Int)] = []
        var numberOf: [String: Int] = [:]
        var size = 16
        while size < names.count * 4 { size *= 2 }
        var table = [Int32](repeating: 0, count: size)
        for (number, name) in names.enumerated() {
            let start = bytes.count
            bytes += name.utf8
            bounds.append((start, bytes.count))
            numberOf[name] = number
            var slot = Int(truncatingIfNeeded: Self.hash(Array(name.utf8)) & UInt64(size - 1))
            while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int32(number + 1)
        }
        nameBytes = bytes
        nameBounds = bounds
        self.table = table
        rules = sheets.map { sheet in sheet.requirements.map { $0.map { $0.compactMap { numberOf[$0] } } } }
    }

    /// The sheets whose rules the markup in `pieces` can use, in their order.
    func sheets(for pieces: [String]) -> [ModuleStylesheet] {
        guard !sheets.isEmpty else { return [] }
        var present = [Bool](repeating: false, count: nameBounds.count)
        present.withUnsafeMutableBufferPointer { present in
            for html in pieces {
                let done: Void? = html.utf8.withContiguousStorageIfAvailable { mark($0, present) }
                if done == nil { Array(html.utf8).withUnsafeBufferPointer { mark($0, present) } }
            }
        }
        var linked: [ModuleStylesheet] = []
        for (index, sheet) in sheets.enumerated() {
            guard let sheetRules = rules[index] else {
                linked.append(sheet)
                continue
            }
            if sheetRules.contains(where: { rule in rule.allSatisfy { present[$0] } }) {
                linked.append(sheet)
            }
        }
        return linked
    }

    /// Marks every needed class named in a ` class="…"` attribute of `bytes`: memchr finds each
    /// `=` (a few hundred in a page), and only those after ` class` and before `"` are read.
    private func mark(_ bytes: UnsafeBufferPointer<UInt8>, _ present: UnsafeMutableBufferPointer<Bool>) {
        guard let base = bytes.baseAddress, bytes.count > 7 else { return }
        let quote = UInt8(ascii: "\"")
        let space = UInt8(ascii: " ")
        let count = bytes.count
        var index = 6
        while index < count - 1 {
            guard let found = memchr(base + index, Int32(UInt8(ascii: "=")), count - 1 - index) else {
                return
            }
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            // ` class` before the `=`, compared from its end (most attributes fail on the `s`).
            guard base[index + 1] == quote, base[index - 1] == UInt8(ascii: "s"),
                base[index - 2] == UInt8(ascii: "s"), base[index - 3] == UInt8(ascii: "a"),
                base[index - 4] == UInt8(ascii: "l"), base[index - 5] == UInt8(ascii: "c"),
                base[index - 6] == space
            else {
                index += 1
                continue
            }
            index += 2
            var start = index
            var hash: UInt64 = Self.offsetBasis
            while index < count {
                let byte = base[index]
                if byte == space || byte == quote {
                    if index > start { lookUp(base + start, index - start, hash, present) }
                    start = index + 1
                    hash = Self.offsetBasis
                    if byte == quote { break }
                } else {
                    hash = (hash ^ UInt64(byte)) &* Self.prime
                }
                index += 1
            }
            index += 1
        }
    }

    @inline(__always)
    private func lookUp(
        _ name: UnsafePointer<UInt8>, _ length: Int, _ hash: UInt64,
        _ present: UnsafeMutableBufferPointer<Bool>
    ) {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash & UInt64(mask))
        while case let entry = table[slot], entry != 0 {
            let number = Int(entry) - 1
            let bounds = nameBounds[number]
            if bounds.end - bounds.start == length,
                nameBytes.withUnsafeBufferPointer({
                    memcmp($0.baseAddress! + bounds.start, name, length) == 0
                })
            {
                present[number] = true
                return
            }
            slot = (slot + 1) & mask
        }
    }

    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x100_0000_01b3

    private static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash = offsetBasis
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }
}
