import Foundation

/// The members of one JSON object written straight into the API's output, for the items of
/// long lists: `encode(to:)` takes this path when the encoder is the API's own
/// (``APIJSONEncoder``) and the keyed container otherwise. Codable's containers cost a search
/// result about 20,000 instructions for its nine fields (a box, a generic cast and a key lookup
/// for each); written here, a fifth of that.
///
/// ```swift
/// func encode(to encoder: any Encoder) throws {
///     if let object = JSONObjectWriter(encoder) {
///         object.field("group_name", groupName)
///         return
///     }
///     var container = encoder.container(keyedBy: CodingKeys.self)
///     try container.encode(groupName, forKey: .groupName)
/// }
/// ```
///
/// Keys are written as given: the snake_case the encoder would make of the property's name.
/// A type writing both ways tests that they agree.
struct JSONObjectWriter {
    private let output: JSONOutput
    private let depth: Int
    private let serial: Int

    /// The writer of `encoder`'s object when `encoder` is the API's; nil for any other encoder.
    init?(_ encoder: any Encoder) {
        guard let stream = encoder as? StreamEncoder else { return nil }
        output = stream.output
        depth = stream.depth
        serial = stream.frame(object: true)
    }

    private func key(_ name: StaticString) {
        output.beginElement(of: depth, serial: serial)
        output.bytes.append(0x22)
        output.bytes.append(
            contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        output.bytes.append(0x22)
        output.bytes.append(0x3A)
    }

    func field(_ name: StaticString, _ value: String) {
        key(name)
        output.write(value)
    }

    func field(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { output.write(value) } else { output.writeNull() }
    }

    func field<Integer: BinaryInteger>(_ name: StaticString, _ value: Integer) {
        key(name)
        output.write(value)
    }

    func field(_ name: StaticString, _ value: Date) {
        key(name)
        output.write(value)
    }
}
