import Foundation
import Testing

/// One example of the CommonMark spec, as stored in `shared/commonmark/spec.json`.
struct SpecExample: Decodable, Sendable, CustomTestStringConvertible {
    let example: Int
    let section: String
    let markdown: String
    let html: String

    var testDescription: String { "example \(example) (\(section))" }
}

enum SpecFixtureError: Error, CustomStringConvertible {
    case sharedFolderNotFound(startingAt: String)

    var description: String {
        switch self {
        case .sharedFolderNotFound(let start):
            "no ancestor of \(start) contains shared/commonmark/spec.json"
        }
    }
}

enum SpecFixture {
    /// Finds `shared/commonmark` by walking up from this file: /work/shared in the dev package,
    /// `<clone>/../shared` in CI.
    static func commonmarkFolder(from file: String = #filePath) throws -> URL {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/commonmark")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("spec.json").path) {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        throw SpecFixtureError.sharedFolderNotFound(startingAt: file)
    }

    /// Whether `shared/commonmark/spec.json` is beside the project (it is in the dev package and
    /// in CI; a bare clone has no `../shared`).
    static var isPresent: Bool { (try? commonmarkFolder()) != nil }

    /// Why the spec suite is not run when the fixture is missing.
    static let missingReason: Comment =
        "needs ../shared/commonmark/spec.json beside the project (not found): CommonMark spec examples not run"

    static func examples() throws -> [SpecExample] {
        let data = try Data(contentsOf: commonmarkFolder().appendingPathComponent("spec.json"))
        return try JSONDecoder().decode([SpecExample].self, from: data)
    }
}
