import Foundation

/// An sRGB colour written `#rrggbb` (or `#rgb`), with the WCAG 2 contrast arithmetic.
///
/// ```swift
/// let blue = HexColour("#1f5f8b")!
/// blue.contrast(with: .white)   // 6.9…
/// ```
public struct HexColour: Sendable, Equatable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public static let white = HexColour(red: 255, green: 255, blue: 255)

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Parses `#rrggbb` or `#rgb` (either case); nil for anything else.
    public init?(_ text: String) {
        guard text.hasPrefix("#") else { return nil }
        var digits = String(text.dropFirst())
        guard digits.allSatisfy(\.isHexDigit), digits.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        if digits.count == 3 { digits = digits.map { "\($0)\($0)" }.joined() }
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    public var description: String {
        "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// WCAG 2 relative luminance (0 black … 1 white).
    public var relativeLuminance: Double {
        func linear(_ channel: UInt8) -> Double {
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG 2 contrast ratio with another colour, 1 … 21.
    public func contrast(with other: HexColour) -> Double {
        let (a, b) = (relativeLuminance, other.relativeLuminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// The lightest darkening of this colour (same hue) that reaches `ratio` against white.
    public func darkened(toContrastWithWhite ratio: Double) -> HexColour {
        func scaled(_ factor: Double) -> HexColour {
            HexColour(
                red: UInt8((Double(red) * factor).rounded(.down)),
                green: UInt8((Double(green) * factor).rounded(.down)),
                blue: UInt8((Double(blue) * factor).rounded(.down)))
        }
        var (low, high) = (0.0, 1.0)
        for _ in 0..<30 {
            let middle = (low + high) / 2
            if scaled(middle).contrast(with: .white) >= ratio { low = middle } else { high = middle }
        }
        return scaled(low)
    }

    /// CSS colour names people write, for "did you mean".
    public static let named: [String: String] = [
        "black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
        "navy": "#000080", "teal": "#008080", "purple": "#800080", "maroon": "#800000", "olive": "#808000",
        "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "yellow": "#ffff00", "orange": "#ffa500",
        "aqua": "#00ffff", "cyan": "#00ffff", "fuchsia": "#ff00ff", "magenta": "#ff00ff", "lime": "#00ff00",
        "pink": "#ffc0cb", "brown": "#a52a2a", "gold": "#ffd700", "indigo": "#4b0082", "darkblue": "#00008b",
        "darkgreen": "#006400", "darkred": "#8b0000", "crimson": "#dc143c", "royalblue": "#4169e1",
        "steelblue": "#4682b4", "slategray": "#708090", "slategrey": "#708090", "darkslategray": "#2f4f4f",
        "darkslategrey": "#2f4f4f", "forestgreen": "#228b22", "seagreen": "#2e8b57",
        "midnightblue": "#191970",
        "darkcyan": "#008b8b", "darkmagenta": "#8b008b", "darkviolet": "#9400d3", "darkorange": "#ff8c00",
        "chocolate": "#d2691e", "firebrick": "#b22222", "sienna": "#a0522d", "tomato": "#ff6347",
        "coral": "#ff7f50", "turquoise": "#40e0d0", "violet": "#ee82ee", "plum": "#dda0dd", "tan": "#d2b48c",
        "salmon": "#fa8072", "khaki": "#f0e68c", "lavender": "#e6e6fa", "beige": "#f5f5dc",
        "rebeccapurple": "#663399", "dodgerblue": "#1e90ff", "cornflowerblue": "#6495ed",
        "darkslateblue": "#483d8b",
    ]
}

extension SettingConstraint {
    /// A `#rrggbb` colour; with `minimumContrastWithWhite`, also dark enough that white text on
    /// it (and it as text on white) meets that WCAG contrast ratio.
    public static func colour(minimumContrastWithWhite minimum: Double? = nil) -> SettingConstraint {
        let summary =
            minimum.map {
                "a #rrggbb colour with a contrast of at least \(String(format: "%g", $0)):1 against white text"
            } ?? "a #rrggbb colour"
        return text(summary) { text in
            guard let colour = HexColour(text) else {
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                let suggestion =
                    HexColour.named[trimmed.lowercased().replacingOccurrences(of: " ", with: "")]
                    ?? (HexColour("#" + trimmed) != nil ? "#" + trimmed : HexColour(trimmed)?.description)
                return SettingProblem(
                    "expected a colour written \"#rrggbb\", got \"\(text)\"", suggestion: suggestion)
            }
            guard let minimum else { return nil }
            let ratio = colour.contrast(with: .white)
            guard ratio < minimum else { return nil }
            return SettingProblem(
                "\"\(text)\" has a contrast ratio of \(ratioText(ratio)) with white text on it; at least \(String(format: "%g", minimum)):1 is needed (WCAG AA)",
                suggestion: colour.darkened(toContrastWithWhite: minimum).description)
        }
    }

    /// A ratio as WCAG writes it, rounded down so that a failing ratio never prints as passing.
    static func ratioText(_ ratio: Double) -> String {
        String(format: "%.2f:1", (ratio * 100).rounded(.down) / 100)
    }
}
