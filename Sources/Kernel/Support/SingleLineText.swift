/// Cleaning for single-line fields people type: names, titles, a school. Such a field is shown
/// inline in pages, mail subjects, activity lines and console tables, where a line break,
/// a NUL or a right-to-left override would split a header, hide text or reverse what follows
/// it ("txt.exe" shown as "exe.txt").
///
/// ```swift
/// SingleLineText.clean("Ada\r\nLovelace")        // "Ada Lovelace"
/// SingleLineText.clean("evil\u{202E}txt.exe")    // "eviltxt.exe"
/// SingleLineText.clean("  Year 6\tmaths  ")      // "Year 6 maths"
/// ```
public enum SingleLineText {
    /// The text on one line: every line break and tab becomes a space, other control
    /// characters (C0, DEL, C1: NUL among them) and the bidirectional embedding, override and
    /// isolate controls (U+202A–U+202E, U+2066–U+2069) are removed, runs of white space become
    /// one space, and the ends are trimmed. Letters, marks, emoji (with their joiners) and the
    /// left-to-right / right-to-left marks that mixed-script names need are kept.
    public static func clean(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isBreakOrSpace(scalar) {
                pendingSpace = !result.isEmpty
                continue
            }
            if isRemoved(scalar) { continue }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(scalar)
        }
        return String(result)
    }

    /// True when `text` is already clean (what ``clean(_:)`` would return unchanged).
    public static func isClean(_ text: String) -> Bool { clean(text) == text }

    private static func isBreakOrSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default: return false
        }
    }

    private static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true  // control characters (NUL, ESC, C1 …)
        case 0x202A...0x202E, 0x2066...0x2069: return true  // bidi embeddings, overrides, isolates
        case 0xFFF9...0xFFFB: return true  // interlinear annotation controls
        default: return false
        }
    }
}
