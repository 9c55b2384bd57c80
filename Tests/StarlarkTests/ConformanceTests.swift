import Foundation
import Starlark
import Testing

/// Locates `shared/<subdir>` by walking up from this file.
func sharedDirectory(_ subdir: String, from file: String = #filePath) -> String? {
    var url = URL(fileURLWithPath: file).deletingLastPathComponent()
    while url.path != "/" {
        let candidate = url.appendingPathComponent("shared").appendingPathComponent(subdir)
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
        url = url.deletingLastPathComponent()
    }
    return nil
}

/// What PLN's dialect leaves out of starlark-go's tests, and why. Whole chunks are matched by a
/// distinctive substring; `line: true` entries replace just the matching statement (and its
/// continuation lines or indented body) with `pass`. Chunks needing option:while or
/// option:recursion are skipped by the runner itself, with that reason.
let dialectSkips: [Conformance.Skip] = {
    let bigint = "integers are 64-bit in this dialect (no big integers)"
    let hostType = "needs starlark-go's Go test types (hasfields, fibonacci), not part of the spec"
    let set = "the dialect has no set type"
    let utf8 = "Swift strings hold valid UTF-8 only: a lone byte of a multi-byte character becomes U+FFFD"
    var skips: [Conformance.Skip] = [
        .init(file: "json.star", match: "json", reason: "the dialect has no json module"),
        .init(file: "assign.star", match: "hf = hasfields()", reason: hostType),
    ]
    let lineSkips: [(file: String, matches: [String], reason: String)] = [
        ("builtins.star", ["hasfields", "hf", "setfield"], hostType),
        ("function.star", ["hasfields", "hf"], hostType),
        ("list.star", ["f7()"], hostType),
        ("control.star", ["def fib(n):", "fib(10)"], hostType),
        ("builtins.star", ["set(", "myset"], set),
        ("function.star", ["set(", "closures"], set),
        ("string.star", ["set("], set),
        ("float.star", ["def checktypes():", "checktypes()"], set),
        (
            "int.star",
            [
                "9223372036854775808", "100000000000000000000", "0x1000000000000001 *", "1111111111111111 *",
                "maxint64", "minint64", "1 << 63",
            ], bigint
        ),
        (
            "float.star",
            [
                "1229999999999999973814869011019624571608236031",
                "1229999999999999973814869011019624571608236032",
                "1229999999999999973814869011019624571608236033",
                "1000000000000000000000000000000000000000000000)",
                "9223372036854775808", "int(1e100)", "123 * 1000000 * 1000000",
                "123000000000000004979083645550592",
                "maxint64", "1<<500", "<< 500", "def checkhash():", "checkhash()",
            ], bigint
        ),
        ("builtins.star", ["range(1<<64)"], bigint),
        (
            "string.star",
            [
                "\"Hello, 世界!\"[7]", "\"😿\"[:1]", "\"😿Z\"[1:]).elem_ords",
                "assert.eq(\n    repr(list(\"abcЙ😿\".elems()))",
                "assert.eq(\n    repr(list((\"A\" + \"😿Z\"[1:]).elems()))",
            ], utf8
        ),
    ]
    for entry in lineSkips {
        for match in entry.matches {
            skips.append(.init(file: entry.file, match: match, reason: entry.reason, line: true))
        }
    }
    return skips
}()

/// The spec's test files, when `../shared` is beside the project (the dev package and CI).
let starlarkTestdata = sharedDirectory("starlark/testdata")

@Suite(
    .enabled(
        if: starlarkTestdata != nil,
        "needs ../shared/starlark/testdata beside the project (not found): starlark-go conformance tests not run"
    ))
struct StarlarkConformance {
    @Test func everySupportedChunkOfStarlarkGoTestsPasses() throws {
        let directory = try #require(starlarkTestdata, "shared/starlark/testdata not found")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".star") && $0 != "assert.star" }  // assert.star is the helper module
            .sorted()
        #expect(files.count >= 20)
        var lines: [String] = []
        for file in files {
            let report = Conformance.runFile(path: directory + "/" + file, skips: dialectSkips)
            lines.append(report.summary)
            for chunk in report.chunks {
                for skipped in chunk.skippedLines { lines.append("    skipped \(skipped)") }
            }
            for chunk in report.failed {
                if case .failed(let why) = chunk.outcome {
                    Issue.record("\(file) chunk \(chunk.index) (line \(chunk.firstLine)):\n\(why)")
                }
            }
        }
        print(lines.joined(separator: "\n"))
    }
}

@Suite struct ConformanceRunnerTests {
    @Test func runnerReportsPassingFailingAndSkippedChunks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "starlark-runner-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sample.star").path
        let text = """
            x = 1
            ---
            error("boom")
            ---
            y = 1 // 0 ### "division by zero"
            ---
            z = 1 ### "never happens"
            ---
            # option:while
            pass
            ---
            big = 123456789012345678901234567890
            ---
            w = 1
            w2 = 99999999999999999999999
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let skips: [Conformance.Skip] = [
            .init(file: "sample.star", match: "big =", reason: "bigint"),
            .init(file: "sample.star", match: "w2 =", reason: "bigint line", line: true),
        ]
        let report = Conformance.runFile(path: path, skips: skips)
        let outcomes = report.chunks.map(\.outcome)
        #expect(outcomes.count == 7)
        #expect(outcomes[0] == .passed)
        #expect(outcomes[1] != .passed)
        #expect(outcomes[2] == .passed)
        #expect(outcomes[3] != .passed)
        #expect(outcomes[4] == .skipped("needs option:while, which PLN's dialect leaves out"))
        #expect(outcomes[5] == .skipped("bigint"))
        #expect(outcomes[6] == .passed)
        #expect(report.chunks[6].skippedLines == ["line 15: bigint line"])
        #expect(report.chunks[2].firstLine == 5)
    }
}
