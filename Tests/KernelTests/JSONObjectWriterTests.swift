import Foundation
import Testing

@testable import Kernel

/// Types that write their own JSON for the API's encoder (``JSONObjectWriter``) must write what
/// the encoder's Codable path writes: every property, in declaration order, under its
/// snake_case name, with the same values.
@Suite struct JSONObjectWriterTests {
    static func hit(group: Bool) -> SearchHitResponse {
        SearchHitResponse(
            SearchHit(
                kind: "blog_post", id: 42, title: #"Phonics & "reading" <at> KS1"#,
                url: "/blog/posts/42", date: Date(timeIntervalSince1970: 1_764_398_750),
                groupSlug: group ? "early-years" : nil, groupName: group ? "Early Years \u{2028}Team" : nil,
                snippet: HighlightedText(marked: "Synthetic \u{E000}phonics\u{E001} in\treception")))
    }

    /// What the encoder's Codable path writes for `value`, from its properties.
    static func propertiesAsJSON(_ value: Any) -> JSONValue {
        .object(
            Mirror(reflecting: value).children.map { child in
                let json: JSONValue
                switch child.value {
                case let text as String: json = .string(text)
                case let number as Int64: json = .int(number)
                case let date as Date: json = .string(JSONValue.timestamp(date))
                case let optional as String?: json = optional.map { .string($0) } ?? .null
                default:
                    Issue.record("a property of a type this test does not know: \(child.value)")
                    json = .null
                }
                return (SnakeCase.convert(child.label ?? "?"), json)
            })
    }

    @Test(arguments: [false, true])
    func aSearchHitWritesEveryPropertyAsTheEncoderWould(group: Bool) throws {
        let hit = Self.hit(group: group)
        let text = String(decoding: try APIJSONEncoder().encode(hit), as: UTF8.self)
        #expect(text == Self.propertiesAsJSON(hit).jsonText())
        #expect(
            text.contains(
                #""snippet_html":"Synthetic \u003cmark\u003ephonics\u003c/mark\u003e in\treception""#))
        #expect(text.contains(#""title":"Phonics \u0026 \"reading\" \u003cat\u003e KS1""#))
    }

    @Test func anotherEncoderGetsTheSameFieldsThroughTheContainer() throws {
        for hit in [Self.hit(group: false), Self.hit(group: true)] {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.dateEncodingStrategy = .iso8601
            let viaContainer = try #require(
                try JSONSerialization.jsonObject(with: encoder.encode(hit)) as? [String: Any])
            let direct = try #require(
                try JSONSerialization.jsonObject(with: Data(APIJSONEncoder().encode(hit))) as? [String: Any])
            // The container leaves absent optionals out; the API writes them as null.
            #expect(Set(viaContainer.keys).isSubset(of: Set(direct.keys)))
            for (key, value) in direct {
                if let other = viaContainer[key] {
                    #expect("\(other)" == "\(value)", "\(key)")
                } else {
                    #expect(value is NSNull, "\(key) is missing from the container's output")
                }
            }
        }
    }

    @Test func directlyWrittenItemsSitInListsAndObjectsLikeAnyOther() throws {
        let page = SearchPageResponse(
            items: [Self.hit(group: true), Self.hit(group: false)], total: 2,
            counts: [SearchCountResponse(kind: "blog_post", label: "Blog posts", count: 2)],
            suggestion: nil, nextOffset: nil)
        let bytes = try APIJSONEncoder().encode(page)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(items.count == 2)
        #expect(items.map { $0["group"] as? String } == ["early-years", nil])
        #expect(object["total"] as? Int == 2)
        #expect((object["counts"] as? [[String: Any]])?.first?["label"] as? String == "Blog posts")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"items":[{"kind":"blog_post","id":42,"#))
        #expect(text.hasSuffix(#""suggestion":null,"next_offset":null}"#))
    }

    @Test func onlyTheAPIsEncoderHasAWriter() throws {
        final class Seen { var writers: [Bool] = [] }
        struct Probe: Encodable {
            let seen: Seen
            func encode(to encoder: any Encoder) throws {
                if JSONObjectWriter(encoder) != nil {
                    seen.writers.append(true)
                    return
                }
                seen.writers.append(false)
                var container = encoder.singleValueContainer()
                try container.encode(1)
            }
        }
        let seen = Seen()
        let api = String(decoding: try APIJSONEncoder().encode([Probe(seen: seen)]), as: UTF8.self)
        let foundation = String(decoding: try JSONEncoder().encode([Probe(seen: seen)]), as: UTF8.self)
        #expect(seen.writers == [true, false])
        #expect(api == "[{}]")
        #expect(foundation == "[1]")
    }
}
