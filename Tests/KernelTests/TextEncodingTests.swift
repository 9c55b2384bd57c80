import Foundation
import Testing

@testable import Kernel

/// The byte-level writers on the pages' hot path (HTML escaping, timestamps) are checked against
/// plain reference implementations over many inputs.
@Suite struct TextEncodingTests {
    /// The obvious escaper, character by character.
    static func referenceEscape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    @Test func escapingMatchesTheReferenceForMixedText() {
        let pieces = [
            "a", "Zoë", "&", "<", ">", "\"", "'", " ", "😿", "e\u{301}", "=", "?", "@", "漢字", "\u{0}", "&amp;",
        ]
        var state: UInt64 = 42
        for length in 0..<400 {
            var text = ""
            for _ in 0..<(length % 23) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            var appended = "prefix:"
            HTML.escape(text, into: &appended)
            #expect(appended == "prefix:" + Self.referenceEscape(text), "text: \(text.debugDescription)")
            #expect(HTML.escape(text) == Self.referenceEscape(text))
        }
        // A long run with one special byte at each end, and text that only has specials.
        let long = String(repeating: "x", count: 5000)
        #expect(HTML.escape("<" + long + ">") == "&lt;" + long + "&gt;")
        #expect(HTML.escape("<>&\"'") == "&lt;&gt;&amp;&quot;&#39;")
    }

    @Test func timestampsMatchISO8601DateFormatter() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var state: UInt64 = 7
        for _ in 0..<5000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let date = Date(timeIntervalSince1970: Double((state >> 11) % 253_402_300_799) + 0.75)
            #expect(JSONValue.timestamp(date) == formatter.string(from: date))
        }
    }

    @Test func asciiTextPadsAndSignsNumbers() {
        let text = ASCIIText.make(capacity: 40) { out in
            out.digits(7, width: 2)
            out.byte(UInt8(ascii: " "))
            out.digits(0)
            out.byte(UInt8(ascii: " "))
            out.digits(-42, width: 4)
            out.byte(UInt8(ascii: " "))
            out.digits(Int.max)
            out.text(" ok")
        }
        #expect(text == "07 0 -0042 9223372036854775807 ok")
    }
}
