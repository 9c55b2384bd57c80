import Foundation
import HTTP
import Testing

@testable import Kernel

/// A type with one of everything the API's JSON has: ids, snake_case keys, an enum, optionals,
/// dates, lists, a nested model and a hint.
struct Sample: APIModel {
    enum Mood: String, APIEnum { case calm, busy }

    var id: Int64
    var displayName: String
    var mood: Mood
    var note: String?
    var when: Date
    var tags: [String]
    var embedURL: String
    var owner: Owner?

    static let fieldHints: [String: SchemaHint] = [
        "displayName": .init(maxLength: 20, message: "Name it."),
        "note": .description("Anything."),
    ]
}

struct Owner: APIModel {
    var handle: String
    static let schemaName = "SampleOwner"
}

struct SampleQuery: APIQuery {
    var before: Int64?
    var limit: Int?
    var mood: Sample.Mood?
    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = ["mood": .init(message: "Calm or busy.")]
}

struct SampleController: Sendable {
    func show(_ ctx: RequestContext, _ id: Int64) throws -> Sample { throw WebError.notFound }
    func list(_ ctx: RequestContext, _ query: SampleQuery) throws -> Page<Owner> {
        Page(items: [], next: nil)
    }
    func create(_ ctx: RequestContext, _ body: Owner) throws -> Created<Sample> { throw WebError.notFound }
    func feature(_ ctx: RequestContext, _ group: String, _ id: Int64) throws -> NoContent { NoContent() }
}

@Suite struct APIOperationTests {
    static let when = Date(timeIntervalSince1970: 1_764_398_750)

    static let sample = Sample(
        id: 7, displayName: "<b>\"Ada\" & co</b>\n\u{2028}\u{1}é😀", mood: .busy, note: nil, when: when,
        tags: ["a", "b\\c"], embedURL: "https://example.org/?a=1&b=2", owner: Owner(handle: "ada"))

    @Test func theEncoderWritesTheBytesJSONValueWrites() throws {
        let expected: JSONValue = .object([
            ("id", 7), ("display_name", .string(Self.sample.displayName)), ("mood", "busy"), ("note", .null),
            ("when", JSONValue(Self.when)), ("tags", ["a", "b\\c"]),
            ("embed_url", "https://example.org/?a=1&b=2"),
            ("owner", ["handle": "ada"]),
        ])
        let bytes = try APIJSONEncoder().encode(Self.sample)
        #expect(String(decoding: bytes, as: UTF8.self) == expected.jsonText())
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""when":"2025-11-29T06:45:50Z""#))
    }

    @Test func keysRepeatedInAListAreWrittenTheSameEachTime() throws {
        struct Row: Encodable {
            var authorID: Int
            var bodyHTML: String?
            var id: Int
        }
        let rows = (1...3).map { Row(authorID: $0, bodyHTML: $0 == 2 ? nil : "<p>\($0)</p>", id: $0 * 10) }
        let expected: JSONValue = .array(
            rows.map { row in
                .object([
                    ("author_id", .int(Int64(row.authorID))),
                    ("body_html", row.bodyHTML.map { .string($0) } ?? .null),
                    ("id", .int(Int64(row.id))),
                ])
            })
        let text = String(decoding: try APIJSONEncoder().encode(rows), as: UTF8.self)
        #expect(text == expected.jsonText())
        #expect(text.components(separatedBy: #""author_id":"#).count == 4)
    }

    @Test func theEncoderWritesNestedListsEmptyValuesAndDictionaries() throws {
        struct Nested: Encodable {
            var rows: [[Int]] = [[1, 2], [], [3]]
            var empty: [String] = []
            var counts: [String: Int] = ["zeta": 1, "alphaBeta": 2]
            var flag = true
            var ratio = 0.5
        }
        let text = String(decoding: try APIJSONEncoder().encode(Nested()), as: UTF8.self)
        #expect(
            text
                == #"{"rows":[[1,2],[],[3]],"empty":[],"counts":{"alphaBeta":2,"zeta":1},"flag":true,"ratio":0.5}"#
        )
    }

    @Test func jsonValueFromAnEncodableKeepsTheAPIsKeyOrder() throws {
        let value = try JSONValue(encoding: Self.sample)
        guard case .object(let fields) = value else {
            Issue.record("not an object")
            return
        }
        #expect(
            fields.map(\.0) == ["id", "display_name", "mood", "note", "when", "tags", "embed_url", "owner"])
        #expect(value["display_name"] == .string(Self.sample.displayName))
        #expect(value.jsonText() == (try JSONValue(encoding: Self.sample)).jsonText())
    }

    @Test func snakeCaseKeepsRunsOfCapitalsAsOneWord() {
        #expect(SnakeCase.convert("id") == "id")
        #expect(SnakeCase.convert("authorID") == "author_id")
        #expect(SnakeCase.convert("bodyHTML") == "body_html")
        #expect(SnakeCase.convert("embedURL") == "embed_url")
        #expect(SnakeCase.convert("URLPath") == "url_path")
        #expect(SnakeCase.convert("startsLocal") == "starts_local")
        #expect(SnakeCase.convert("line2Text") == "line2_text")
    }

    @Test func aBodyWithSeveralBadFieldsNamesEveryOne() {
        let body = Array(
            #"{"id": "seven", "display_name": 5, "mood": "angry", "when": "2025-11-29T06:45:50Z"}"#.utf8)
        #expect(
            throws: DomainError.invalid([
                FieldError(field: "id", message: "Must be a whole number."),
                FieldError(field: "display_name", message: "Name it."),
                FieldError(field: "mood", message: "Must be \"calm\" or \"busy\"."),
            ])
        ) { try APIValueDecoder.decode(Sample.self, fromBody: body) }
    }

    @Test func aGoodBodyDecodesWithSnakeCaseKeysAndNullsAsAbsent() throws {
        let body =
            #"{"id": 7, "display_name": "Ada", "mood": "calm", "note": null, "when": "2025-11-29T06:45:50Z", "tags": [], "embed_url": "", "owner": {"handle": "ada"}, "extra": 1}"#
        let sample = try APIValueDecoder.decode(Sample.self, fromBody: Array(body.utf8))
        #expect(sample.displayName == "Ada" && sample.mood == .calm && sample.note == nil)
        #expect(sample.when == Self.when && sample.owner?.handle == "ada")
    }

    @Test func missingAndNestedFieldsAreNamedWithTheirPath() {
        let body = Array(
            #"{"id": 1, "mood": "calm", "when": "yesterday", "tags": [1], "embed_url": "", "owner": {}}"#.utf8
        )
        #expect(
            throws: DomainError.invalid([
                FieldError(field: "display_name", message: "Name it."),
                FieldError(field: "when", message: "Must be a date and time (RFC 3339)."),
            ])
        ) { try APIValueDecoder.decode(Sample.self, fromBody: body) }
        let nested = Array(
            #"{"id": 1, "display_name": "A", "mood": "calm", "when": "2025-11-29T06:45:50Z", "tags": [], "embed_url": "", "owner": {}}"#
                .utf8)
        #expect(throws: DomainError.invalid([FieldError(field: "owner.handle", message: "Required.")])) {
            try APIValueDecoder.decode(Sample.self, fromBody: nested)
        }
    }

    @Test func aBodyThatIsNotAJSONObjectIsABadRequest() {
        #expect(throws: WebError.badRequest("The request body is not valid JSON.")) {
            try APIValueDecoder.decode(Owner.self, fromBody: Array("{nope".utf8))
        }
        #expect(throws: WebError.badRequest("The request body must be a JSON object.")) {
            try APIValueDecoder.decode(Owner.self, fromBody: Array("[1]".utf8))
        }
    }

    @Test func queryValuesAreParsedFromTextAndTheLimitIsClampedInOnePlace() throws {
        let big = try APIValueDecoder.decode(
            SampleQuery.self, fromStrings: [("limit", "500"), ("before", "12"), ("mood", "busy")],
            limitRange: SampleQuery.limitRange)
        #expect(big.limit == 100 && big.before == 12 && big.mood == .busy)
        let small = try APIValueDecoder.decode(
            SampleQuery.self, fromStrings: [("limit", "0"), ("before", "")],
            limitRange: SampleQuery.limitRange)
        #expect(small.limit == 1 && small.before == nil)
        #expect(SampleQuery.limit(nil, default: 250) == 100)
        #expect(SampleQuery.limit(7, default: 250) == 7)
        #expect(
            throws: DomainError.invalid([
                FieldError(field: "before", message: "Must be a whole number."),
                FieldError(field: "mood", message: "Calm or busy."),
            ])
        ) {
            try APIValueDecoder.decode(
                SampleQuery.self, fromStrings: [("before", "abc"), ("mood", "angry")], limitRange: 1...100)
        }
    }

    @Test func schemasAreDerivedFromTheTypesAndRegisteredOnce() throws {
        var registry = APISchemaRegistry()
        #expect(try registry.schema(for: Sample.self) == ["$ref": "#/components/schemas/Sample"])
        #expect(
            try registry.schema(for: Page<Owner>.self) == ["$ref": "#/components/schemas/SampleOwnerPage"])
        #expect(registry.components.map(\.name) == ["SampleOwner", "Sample", "SampleOwnerPage"])
        let sample = try #require(registry.components.first { $0.name == "Sample" }?.schema)
        let properties = try #require(sample["properties"])
        #expect(properties["id"] == ["type": "integer"])
        #expect(properties["display_name"] == ["type": "string", "maxLength": 20])
        #expect(properties["mood"] == ["type": "string", "enum": ["calm", "busy"]])
        #expect(properties["note"] == ["type": ["string", "null"], "description": "Anything."])
        #expect(properties["when"] == ["type": "string", "format": "date-time"])
        #expect(properties["tags"] == ["type": "array", "items": ["type": "string"]])
        #expect(
            properties["owner"] == [
                "anyOf": [["$ref": "#/components/schemas/SampleOwner"], ["type": "null"]]
            ])
        #expect(sample["required"] == ["id", "display_name", "mood", "when", "tags", "embed_url"])
        let page = try #require(registry.components.first { $0.name == "SampleOwnerPage" }?.schema)
        #expect(
            page["properties"]?["items"] == [
                "type": "array", "items": ["$ref": "#/components/schemas/SampleOwner"],
            ])
    }

    @Test func twoTypesUnderOneSchemaNameAreRefused() throws {
        struct Other: APIModel {
            var handle: Int
            static let schemaName = "SampleOwner"
        }
        var registry = APISchemaRegistry()
        _ = try registry.schema(for: Owner.self)
        #expect(throws: APISchemaError.self) { _ = try registry.schema(for: Other.self) }
    }

    @Test func queryTypesBecomeParametersThatAreNeverNull() throws {
        var registry = APISchemaRegistry()
        let parameters = try registry.queryParameters(of: SampleQuery.self)
        #expect(parameters.map { $0["name"] } == ["before", "limit", "mood"])
        #expect(parameters[1]["schema"] == ["type": "integer", "minimum": 1, "maximum": 100])
        #expect(parameters[2]["schema"] == ["type": "string", "enum": ["calm", "busy"]])
        #expect(parameters.allSatisfy { $0["in"] == "query" && $0["required"] == nil })
    }

    @Test func everyOperationListsTheResponsesItsShapeImplies() throws {
        var web = WebContributions()
        let controller = SampleController()
        web.apiGroup("/api/v1/samples", tag: "samples") { api in
            api.get("/:id", summary: "One.", operationID: "getSample", use: controller.show)
            api.get(
                "", summary: "Some.", operationID: "listSamples", errors: [.tooManyRequests],
                use: controller.list)
            api.post(
                "", access: .members, summary: "Make one.", operationID: "createSample",
                use: controller.create)
            api.group("/groups") { groups in
                groups.put(
                    "/:group/featured/:id", access: .admins, summary: "Feature.",
                    operationID: "featureSample",
                    use: controller.feature)
            }
        }
        func operation(_ path: String, _ method: String) throws -> JSONValue {
            try #require(web.openAPIPaths.first { $0.path == path && $0.method == method }?.operation)
        }
        func statuses(_ operation: JSONValue) -> [String] {
            guard case .object(let responses) = operation["responses"] else { return [] }
            return responses.map(\.0)
        }
        let show = try operation("/api/v1/samples/{id}", "get")
        #expect(statuses(show) == ["200", "404"])
        #expect(
            show["parameters"] == [
                ["name": "id", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1]]
            ])
        #expect(
            show["responses"]?["200"]?["content"]?["application/json"]?["schema"] == [
                "$ref": "#/components/schemas/Sample"
            ])
        #expect(
            show["responses"]?["404"]?["content"]?["application/problem+json"]?["schema"]
                == APIDocument.problemReference)
        #expect(show["security"] == nil)
        #expect(statuses(try operation("/api/v1/samples", "get")) == ["200", "422", "429"])
        let create = try operation("/api/v1/samples", "post")
        #expect(statuses(create) == ["201", "400", "401", "422"])
        #expect(create["requestBody"]?["required"] == true)
        #expect(
            create["requestBody"]?["content"]?["application/json"]?["schema"] == [
                "$ref": "#/components/schemas/SampleOwner"
            ])
        #expect(create["security"] == [["bearer": []]])
        let feature = try operation("/api/v1/samples/groups/{group}/featured/{id}", "put")
        #expect(statuses(feature) == ["204", "401", "403", "404"])
        #expect(feature["responses"]?["204"]?["content"] == nil)
        #expect(feature["parameters"]?.arrayValue?.map { $0["name"] } == ["group", "id"])
        #expect(
            web.routes.map { "\($0.method) \($0.pattern)" } == [
                "GET /api/v1/samples/:id", "GET /api/v1/samples", "POST /api/v1/samples",
                "PUT /api/v1/samples/groups/:group/featured/:id",
            ])
        #expect(web.routes.map(\.access) == [.anyone, .anyone, .members, .admins])
        #expect(web.apiSchemas.components.map(\.name) == ["SampleOwner", "Sample", "SampleOwnerPage"])
    }
}
