/// A CIDR range of addresses ("10.0.0.0/8", "fd00::/8"), or a single address ("127.0.0.1",
/// "::1", the same as /32 and /128).
///
/// ```swift
/// let range = try IPAddressRange(parsing: "10.0.0.0/8")
/// range.contains(IPAddress("10.1.2.3")!)   // true
/// try IPAddressRange(parsing: "10.1.0.0/8") // throws .hostBitsSet(suggestion: "10.0.0.0/8")
/// ```
public struct IPAddressRange: Hashable, Sendable, CustomStringConvertible {
    /// Why a range was refused; ``description`` reads as a configuration error.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        /// The text (before any "/") is not an IP address.
        case notAnAddress(String)
        /// The part after "/" is not a number, or is longer than the family allows.
        case badPrefixLength(String, maximum: Int)
        /// Bits are set past the prefix length ("10.1.0.0/8"); `suggestion` is the network.
        case hostBitsSet(String, suggestion: String)

        public var description: String {
            switch self {
            case .notAnAddress(let text):
                return
                    "expected an IP address (like 127.0.0.1 or ::1) or a CIDR range (like 10.0.0.0/8 or fd00::/8), got \"\(text)\""
            case .badPrefixLength(let text, let maximum):
                return "the prefix length in \"\(text)\" must be a whole number from 0 to \(maximum)"
            case .hostBitsSet(let text, _):
                return "\"\(text)\" has bits set after its prefix length: a range names its first address"
            }
        }

        public var suggestion: String? {
            if case .hostBitsSet(_, let suggestion) = self { return suggestion }
            return nil
        }
    }

    public let network: IPAddress
    /// In the address's own family: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int
    private let maskHigh: UInt64
    private let maskLow: UInt64

    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { throw .notAnAddress(text) }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy(\.isWholeNumber),
                parts[1].allSatisfy(\.isASCII), let parsed = Int(parts[1]),
                (0...maximum).contains(parsed)
            else { throw .badPrefixLength(text, maximum: maximum) }
            length = parsed
        }
        let bits = address.isIPv4 ? 96 + length : length
        let maskHigh: UInt64 = bits >= 64 ? .max : bits == 0 ? 0 : .max << (64 - bits)
        let maskLow: UInt64 = bits <= 64 ? 0 : bits == 128 ? .max : .max << (128 - bits)
        let network = IPAddress(high: address.high & maskHigh, low: address.low & maskLow)
        guard network == address else {
            throw .hostBitsSet(text, suggestion: "\(network)/\(length)")
        }
        self.network = network
        self.prefixLength = length
        self.maskHigh = maskHigh
        self.maskLow = maskLow
    }

    /// The range, or nil when `text` is not a valid one.
    public init?(_ text: String) {
        guard let range = try? IPAddressRange(parsing: text) else { return nil }
        self = range
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.high & maskHigh == network.high && address.low & maskLow == network.low
    }

    public var description: String {
        prefixLength == (network.isIPv4 ? 32 : 128) ? "\(network)" : "\(network)/\(prefixLength)"
    }
}
