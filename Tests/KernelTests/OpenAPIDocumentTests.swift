import Foundation
import HTTP
import Testing

@testable import Kernel

/// The OpenAPI document of the whole network (every module) against what is served.
@Suite struct OpenAPIDocumentTests {
    /// The modules whose API is declared as typed operations: each operation lists every
    /// response its shape implies.
    static let typedTags: Set<String> = [
        "blog", "activity", "moderation", "groups", "members", "cpd", "notifications", "likes", "messages",
    ]

    struct Served: Hashable, CustomStringConvertible {
        var method: String
        var path: String
        var description: String { "\(method.uppercased()) \(path)" }
    }

    static func document() throws -> (document: JSONValue, routes: [WebRoute]) {
        let kernel = try bootKernel()
        return (
            WebApplication.openAPI(kernel: kernel),
            WebApplication.kernelRoutes(kernel: kernel) + kernel.context.web.routes
        )
    }

    static func operations(_ document: JSONValue) -> [(Served, JSONValue)] {
        guard case .object(let paths) = document["paths"] else { return [] }
        return paths.flatMap { path, item -> [(Served, JSONValue)] in
            guard case .object(let methods) = item else { return [] }
            return methods.map { (Served(method: $0.0, path: path), $0.1) }
        }
    }

    @Test func everyServedAPIRouteIsDocumentedAndEveryDocumentedRouteIsServed() throws {
        let (document, routes) = try Self.document()
        let served = Set(
            routes.filter { $0.pattern.hasPrefix("/api/v1/") }.map {
                Served(method: $0.method.lowercased(), path: APIGroup.openAPIPath($0.pattern))
            })
        let allServed = Set(
            routes.map { Served(method: $0.method.lowercased(), path: APIGroup.openAPIPath($0.pattern)) })
        let documented = Set(Self.operations(document).map(\.0))
        let undocumented = served.subtracting(documented).sorted { $0.description < $1.description }
        let unserved = documented.subtracting(allServed).sorted { $0.description < $1.description }
        #expect(undocumented.isEmpty, "served but not in the document: \(undocumented)")
        #expect(unserved.isEmpty, "in the document but not served: \(unserved)")
        #expect(served.count > 60)
    }

    @Test func operationIDsAreUniqueAndEveryReferenceResolves() throws {
        let (document, _) = try Self.document()
        let ids = Self.operations(document).compactMap { $0.1["operationId"]?.stringValue }
        #expect(ids.count == Self.operations(document).count, "an operation has no operationId")
        #expect(
            Set(ids).count == ids.count,
            "duplicate operationIds: \(ids.filter { id in ids.filter { $0 == id }.count > 1 })")
        guard case .object(let schemas) = document["components"]?["schemas"] else {
            Issue.record("no components/schemas")
            return
        }
        let names = schemas.map(\.0)
        #expect(Set(names).count == names.count, "duplicate component names")
        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let fields):
                for (key, field) in fields {
                    if key == "$ref", let target = field.stringValue {
                        references.append(target)
                    } else {
                        collect(field)
                    }
                }
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(document)
        let dangling = Set(references).filter { reference in
            !names.contains { "#/components/schemas/\($0)" == reference }
        }
        #expect(dangling.isEmpty, "references to nothing: \(dangling.sorted())")
    }

    @Test func everyTypedOperationListsItsBodyItsSuccessSchemaAndItsErrors() throws {
        let (document, routes) = try Self.document()
        let typed = Self.operations(document).filter { entry in
            entry.1["tags"]?.arrayValue?.contains { Self.typedTags.contains($0.stringValue ?? "") } == true
        }
        // Blog and activity 13 (+6 likes of posts and comments), moderation 10, groups 25 (+6 likes of
        // discussions and replies), membership 13 (+3 likes of statuses), CPD 18, notifications 6,
        // likes 3, messages 16.
        #expect(typed.count == 13 + 6 + 10 + 25 + 6 + 13 + 3 + 18 + 6 + 3 + 16)
        for (served, operation) in typed {
            let route = try #require(
                routes.first {
                    $0.method.lowercased() == served.method && APIGroup.openAPIPath($0.pattern) == served.path
                })
            guard case .object(let responses) = operation["responses"] else {
                Issue.record("\(served): no responses")
                continue
            }
            let statuses = Set(responses.map(\.0))
            let success = responses.filter { $0.0.hasPrefix("2") }
            #expect(success.count == 1, "\(served): one success response")
            for (status, response) in success where status != "204" {
                #expect(
                    response["content"]?["application/json"]?["schema"] != nil,
                    "\(served): \(status) has no schema")
            }
            for (status, response) in responses where status.hasPrefix("4") {
                #expect(
                    response["content"]?["application/problem+json"]?["schema"]
                        == APIDocument.problemReference,
                    "\(served): \(status) is not ProblemDetails")
            }
            if route.access != .anyone {
                #expect(statuses.contains("401"), "\(served): needs sign-in but lists no 401")
                #expect(operation["security"] != nil, "\(served): needs sign-in but names no security")
            }
            if route.access == .moderators || route.access == .admins {
                #expect(statuses.contains("403"), "\(served): needs a role but lists no 403")
            }
            if served.path.contains("{") {
                #expect(statuses.contains("404"), "\(served): its path names something but lists no 404")
                let names = operation["parameters"]?.arrayValue?.filter { $0["in"] == "path" }.compactMap {
                    $0["name"]?.stringValue
                }
                #expect(names == AnyRoute.parameterNames(served.path), "\(served): path parameters")
            }
            if let body = operation["requestBody"] {
                #expect(body["required"]?.boolValue != nil, "\(served): says whether its body is required")
                #expect(
                    body["content"]?["application/json"]?["schema"] != nil, "\(served): body has no schema")
                #expect(
                    statuses.isSuperset(of: ["400", "422"]), "\(served): takes a body but lists no 400/422")
            }
            if operation["parameters"]?.arrayValue?.contains(where: { $0["in"] == "query" }) == true {
                #expect(statuses.contains("422"), "\(served): takes query parameters but lists no 422")
            }
        }
    }

    enum AnyRoute {
        static func parameterNames(_ path: String) -> [String] {
            path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
        }
    }
}

extension OpenAPIDocumentTests {
    /// A body a client may leave out (OptionalBody) is documented as not required; every other
    /// body is required.
    @Test func optionalBodiesAreDocumentedAsNotRequired() throws {
        let (document, _) = try Self.document()
        var optional: Set<String> = []
        for (_, operation) in Self.operations(document) {
            guard let body = operation["requestBody"], let id = operation["operationId"]?.stringValue else {
                continue
            }
            if body["required"] == .bool(false) { optional.insert(id) }
        }
        #expect(optional == ["joinGroup", "requestToJoinGroup", "cancelCPDSession", "assignCase"])
    }
}
