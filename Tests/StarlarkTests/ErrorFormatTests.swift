import Starlark
import Testing

/// Golden tests: the exact rendering of each kind of error.
@Suite struct ErrorFormatTests {
    func rendered(_ source: String, file: String = "config/pln.star", predeclared: [String: Value] = [:]) -> String {
        do {
            _ = try Interpreter().execute(filename: file, source: source, predeclared: predeclared)
            return "<no error>"
        } catch {
            return error.description
        }
    }

    @Test func undefinedNameSuggestsTheClosestName() {
        let network = Builtin("network") { _ in .none }
        let source = "x = 1\n" + String(repeating: "\n", count: 10) + "netwrok(name = \"X\")\n"
        #expect(
            rendered(source, predeclared: ["network": .builtin(network)]) == """
                config/pln.star:12:1: error: name "netwrok" is not defined — did you mean "network"?
                   12 | netwrok(name = "X")
                      | ^~~~~~~
                """)
    }

    @Test func everyStaticErrorIsReportedAtOnce() {
        let text = rendered("a = undefined1\nbreak\nb = undefined2\n")
        #expect(
            text == """
                config/pln.star:1:5: error: name "undefined1" is not defined
                    1 | a = undefined1
                      |     ^~~~~~~~~~
                config/pln.star:2:1: error: break not in a loop
                    2 | break
                      | ^~~~~
                config/pln.star:3:5: error: name "undefined2" is not defined
                    3 | b = undefined2
                      |     ^~~~~~~~~~
                """)
    }

    @Test func syntaxErrorPointsAtTheToken() {
        #expect(
            rendered("x = (1 +\n") == """
                config/pln.star:2:1: error: got end of file, want primary expression
                    2 | 
                      | ^
                """)
        #expect(
            rendered("x = 1 + \n") == """
                config/pln.star:1:9: error: got newline, want primary expression
                    1 | x = 1 + 
                      |         ^
                """)
    }

    @Test func runtimeErrorInFunctionHasATraceback() {
        let source = """
            def ratio(a, b):
                return a / b

            def main():
                return ratio(1, 0)

            x = main()
            """
        #expect(
            rendered(source) == """
                config/pln.star:2:12: error: floating-point division by zero
                    2 |     return a / b
                      |            ^~~~~
                traceback (most recent call last):
                  config/pln.star:7:5: in <toplevel>
                  config/pln.star:5:12: in main
                  config/pln.star:2:12: in ratio
                """)
    }

    @Test func unknownMethodSuggestsTheClosestMethod() {
        #expect(
            rendered("s = 'abc'.uper()\n") == """
                config/pln.star:1:11: error: string has no .uper field or method — did you mean .upper?
                    1 | s = 'abc'.uper()
                      |           ^~~~
                """)
    }

    @Test func unknownKeywordArgumentOfAStarlarkFunction() {
        #expect(
            rendered("def f(name):\n    pass\nf(nmae = 1)\n") == """
                config/pln.star:3:3: error: function f got an unexpected keyword argument "nmae" — did you mean "name"?
                    3 | f(nmae = 1)
                      |   ^~~~~~~~
                """)
    }

    @Test func missingDictKeySuggestsAClosKey() {
        #expect(
            rendered("d = {'port': 1}\nx = d['prot']\n") == """
                config/pln.star:2:5: error: key "prot" not in dict — did you mean "port"?
                    2 | x = d['prot']
                      |     ^~~~~~~~~
                """)
    }
}

@Suite struct MoreErrorFormatTests {
    @Test func everySyntaxErrorIsReportedAtOnce() {
        do {
            _ = try Interpreter().execute(
                filename: "c.star", source: "def f():\n    y = 1 +\n    return y\nz = 1 2\nok = 3\n")
            Issue.record("expected syntax errors")
        } catch {
            #expect(
                error.description == """
                    c.star:2:12: error: got newline, want primary expression
                        2 |     y = 1 +
                          |            ^
                    c.star:4:7: error: got int literal, want newline
                        4 | z = 1 2
                          |       ^
                    """)
        }
    }

    @Test func errorInALoadedModuleKeepsItsLocationAndShowsTheLoadSite() {
        let files = ["lib.star": "def f():\n    return 1 // 0\nx = f()\n"]
        let interpreter = Interpreter(load: { module, _ in (files[module] ?? "", module) })
        do {
            _ = try interpreter.execute(filename: "main.star", source: "load('lib.star', 'x')\n")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description == """
                    lib.star:2:12: error: floored division by zero
                        2 |     return 1 // 0
                          |            ^~~~~~
                    traceback (most recent call last):
                      main.star:1:1: in <toplevel>
                      lib.star:3:5: in <toplevel>
                      lib.star:2:12: in f
                    """)
        }
    }

    @Test func tabsInTheSourceLineKeepTheCaretAligned() {
        let diagnostic = Diagnostic(
            file: "t.star", span: Span(Position(line: 1, column: 3), length: 2), message: "m", sourceLine: "\t\tab")
        #expect(diagnostic.rendered == "t.star:1:3: error: m\n    1 | \t\tab\n      | \t\t^~")
    }

    @Test func deeplyNestedExpressionsAreRejectedNotCrashed() {
        let source = "x = " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + "\n"
        do {
            _ = try Interpreter().execute(filename: "n.star", source: source)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("nested too deeply"))
        }
    }
}
