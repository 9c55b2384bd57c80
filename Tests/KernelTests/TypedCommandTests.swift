import Foundation
import Synchronization
import Testing

@testable import Kernel

/// Commands declared as types (issue 15, item 6): typed values, help and usage errors from the
/// declaration.
@Suite struct TypedCommandTests {
    enum Colour: String, CaseIterable, CommandArgument { case red, green, blue }

    struct Paint: AdminCommand {
        static let configuration = CommandConfiguration(name: "paint", abstract: "Paint a wall.")
        @Argument(help: "The wall.") var wall: String
        @Argument(help: "Which coat.") var coat: Int?
        @Option(help: "The colour.", valueName: "COLOUR") var colour = Colour.red
        @Option(help: "At most this many litres.", valueName: "N") var litres = 5
        @Option(help: "Who asked.", valueName: "NAME") var requestedBy: String?
        @Flag(help: "Two coats.") var twoCoats: Bool
        @Flag(help: "Print JSON.") var json: Bool

        func run(_ seen: Recorder, console: Console) throws {
            seen.record(
                "\(wall) \(coat.map(String.init) ?? "-") \(colour) \(litres) \(requestedBy ?? "-") \(twoCoats) \(json)"
            )
        }
    }

    final class Recorder: Sendable {
        private let lines = Mutex<[String]>([])
        func record(_ line: String) { lines.withLock { $0.append(line) } }
        var recorded: [String] { lines.withLock { $0 } }
    }

    func run(_ arguments: [String]) -> (code: Int32, out: String, err: String, seen: [String]) {
        let recorder = Recorder()
        let root = CommandSpec.group("pln", abstract: "Test.", [.command(Paint.self, recorder)])
        let console = Console.capturing()
        let code = console.run(arguments, root: root)
        return (code, console.capturedOutput, console.capturedErrors, recorder.recorded)
    }

    @Test func valuesArriveTypedWithDefaultsAndKebabCaseNames() {
        #expect(run(["paint", "north"]).seen == ["north - red 5 - false false"])
        #expect(
            run([
                "paint", "north", "2", "--colour", "blue", "--litres=7", "--requested-by", "ada",
                "--two-coats", "--json",
            ])
            .seen == ["north 2 blue 7 ada true true"])
    }

    @Test func aBadEnumValueIsAUsageErrorWithDidYouMean() {
        let result = run(["paint", "north", "--colour", "gren"])
        #expect(result.code == 2)
        #expect(result.seen.isEmpty)
        #expect(
            result.err.contains(
                ##"error: --colour expects red, green or blue, got "gren" — did you mean "green"?"##))
        #expect(
            result.err.contains(
                "usage: pln paint <wall> [<coat>] [--colour COLOUR] [--litres N] [--requested-by NAME] [--two-coats] [--json]"
            ))
    }

    @Test func aBadNumberIsAUsageErrorForOptionsAndPositionals() {
        #expect(
            run(["paint", "north", "--litres", "lots"]).err.contains(
                ##"--litres expects a whole number, got "lots""##))
        let positional = run(["paint", "north", "second"])
        #expect(positional.code == 2)
        #expect(positional.err.contains(##"<coat> expects a whole number, got "second""##))
    }

    @Test func helpListsAllowedValuesAndDefaults() {
        let help = run(["paint", "--help"])
        #expect(help.code == 0)
        #expect(
            help.out.contains("--colour COLOUR      The colour. (one of: red, green, blue) (default: red)"))
        #expect(help.out.contains("--litres N           At most this many litres. (default: 5)"))
        #expect(help.out.contains("[<coat>]") && help.out.contains("<coat>"))
    }

    @Test func aMissingRequiredPositionalIsAUsageError() {
        let result = run(["paint"])
        #expect(result.code == 2)
        #expect(result.err.contains("missing <wall>: The wall."))
    }
}
