import Foundation
import Kernel
import Starlark
import Testing

@testable import Configuration

/// Values that have the right type but the wrong meaning (issue 14, item 14): each was
/// accepted silently before settings declared constraints.
@Suite struct SettingValidationTests {
    @Test func goldenMisspelledTimeZoneIsAnErrorWithSuggestion() {
        #expect(
            errors(##"network(time_zone = "Europe/Londn")"##) == """
                pln.star:1:9: error: network.time_zone: unknown time zone "Europe/Londn" (use a tz database name like "Europe/London", or "UTC") — did you mean "Europe/London"?
                    1 | network(time_zone = "Europe/Londn")
                      |         ^~~~~~~~~~~~~~~~~~~~~~~~~~
                """)
    }

    @Test func timeZonesAreTzDatabaseNamesOrUTC() throws {
        for zone in ["Europe/London", "UTC", "America/New_York", "Asia/Tokyo"] {
            #expect(errors("network(time_zone = \"\(zone)\")") == "", "\(zone)")
        }
        // "BST" is Bangladesh to Foundation; an offset has no summer time.
        for zone in ["BST", "GMT+1", "europe/london", "Europe/London ", ""] {
            #expect(errors("network(time_zone = \"\(zone)\")").contains("unknown time zone"), "\(zone)")
        }
        #expect(errors(##"network(time_zone = "London")"##).contains(##"did you mean "Europe/London"?"##))
        #expect(
            errors(##"network(time_zone = "europe/london")"##).contains(##"did you mean "Europe/London"?"##))
    }

    @Test func goldenNamedColourIsAnErrorWithItsHexValue() {
        #expect(
            errors(##"network(primary_colour = "blue")"##) == """
                pln.star:1:9: error: network.primary_colour: expected a colour written "#rrggbb", got "blue" — did you mean "#0000ff"?
                    1 | network(primary_colour = "blue")
                      |         ^~~~~~~~~~~~~~~~~~~~~~~
                """)
    }

    @Test func primaryColourNeedsContrastWithWhiteText() throws {
        let text = errors(##"network(primary_colour = "#ffcc00")"##)
        #expect(
            text.contains(
                ##"network.primary_colour: "#ffcc00" has a contrast ratio of 1.51:1 with white text on it; at least 4.5:1 is needed (WCAG AA)"##
            ))
        // The suggestion is the same hue, dark enough.
        let suggested = try #require(text.components(separatedBy: "did you mean \"").last?.prefix(7))
        let colour = try #require(HexColour(String(suggested)))
        #expect(colour.contrast(with: .white) >= 4.5)
        #expect(errors("network(primary_colour = \"\(colour)\")") == "")
        // #777777 is 4.48:1, just short; the ratio is rounded down so it never reads as passing.
        #expect(errors(##"network(primary_colour = "#777777")"##).contains("4.47:1"))
        #expect(errors(##"network(primary_colour = "#767676", accent_colour = "#FFCC00")"##) == "")
        #expect(
            errors(##"network(accent_colour = "#12345")"##).contains(
                ##"expected a colour written "#rrggbb", got "#12345""##))
        #expect(errors(##"network(accent_colour = "f0a500")"##).contains(##"did you mean "#f0a500"?"##))
    }

    @Test func contrastFollowsWCAG() throws {
        #expect(abs(HexColour("#000000")!.contrast(with: .white) - 21) < 0.001)
        #expect(abs(HexColour("#ffffff")!.contrast(with: .white) - 1) < 0.001)
        #expect(abs(HexColour("#767676")!.contrast(with: .white) - 4.54) < 0.01)
        #expect(HexColour("#abc") == HexColour("#aabbcc"))
        #expect(HexColour("blue") == nil && HexColour("#ggg000") == nil && HexColour("#12345") == nil)
    }

    @Test func addressesAndNumbersAreChecked() {
        let cases: [(String, String)] = [
            (##"server(port = 0)"##, "server.port: must be at least 1, got 0"),
            (
                ##"network(base_url = "/pln")"##,
                ##"expected an absolute URL starting with http:// or https://, got "/pln""##
            ),
            (
                ##"network(base_url = "ftp://pln.example.org")"##,
                "expected an absolute URL starting with http:// or https://"
            ),
            (
                ##"network(base_url = "https://pln.example.org/")"##,
                ##"must not end in / (links are built as base_url + "/path") — did you mean "https://pln.example.org"?"##
            ),
            (##"network(base_url = "https://pln.example.org?x=1")"##, "must not have a query"),
            (
                ##"network(logo_url = "javascript:alert(1)")"##,
                "expected a path starting with / or an http(s) URL"
            ),
            (
                ##"mail(from = "pln")"##,
                ##"mail.from: expected a mail address like name@example.org, got "pln""##
            ),
            (
                ##"mail(from = "PLN <pln@example.org>")"##,
                ##"without a display name — did you mean "pln@example.org"?"##
            ),
            (
                ##"mail(sendmail = ["sendmail", "-t"])"##,
                ##"mail.sendmail[0]: the program must be an absolute path"##
            ),
            (##"server(host = "local host")"##, "server.host: expected an IP address"),
            (
                ##"server(trusted_proxies = ["proxy.local"])"##,
                ##"server.trusted_proxies[0]: expected an IP address (like 127.0.0.1 or ::1) or a CIDR range (like 10.0.0.0/8 or fd00::/8), got "proxy.local""##
            ),
            (
                ##"server(trusted_proxies = ["10.0.0.0/33"])"##,
                ##"the prefix length in "10.0.0.0/33" must be a whole number from 0 to 32"##
            ),
            (
                ##"server(trusted_proxies = ["fd00::/129"])"##,
                ##"the prefix length in "fd00::/129" must be a whole number from 0 to 128"##
            ),
            (##"server(trusted_proxies = ["10.0.0.0/"])"##, ##"must be a whole number from 0 to 32"##),
            (
                ##"server(trusted_proxies = ["10.1.0.0/8"])"##,
                ##"has bits set after its prefix length: a range names its first address — did you mean "10.0.0.0/8"?"##
            ),
            (##"storage(path = "")"##, "storage.path: must be a file path"),
            (##"storage(path = "data/")"##, "must name a file, not a folder"),
            ("network(name = \"PLN\\nline\")", ##"network.name: must be one line of text"##),
            (##"network(name = "  ")"##, "network.name: must not be empty"),
            (
                ##"groups(categories = ["A", "B", "A"])"##,
                ##"groups.categories[2]: "A" is already listed at [0]"##
            ),
            (
                ##"moderation(held_words = ["re:([a-z"])"##,
                ##"moderation.held_words[0]: "([a-z" is not a valid regular expression"##
            ),
            (
                ##"moderation(premoderate_modules = ["blgo"])"##,
                ##"unknown module "blgo" (this binary has: membership, groups, cpd, blog, moderation, messages) — did you mean "blog"?"##
            ),
        ]
        for (source, expected) in cases {
            #expect(errors(source).contains(expected), "\(source)")
        }
        #expect(
            errors(
                ##"network(base_url = "https://pln.example.org/pln", logo_url = "/assets/logo.png")"##
                    + "\n"
                    + ##"server(host = "::", trusted_proxies = ["127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8", "0:0:0:0:0:0:0:2"])"##
                    + "\n" + ##"mail(from = "cpd.team@hilltop.sch.uk")"##) == "")
    }

    @Test func anItemErrorPointsAtTheItem() {
        #expect(
            errors(##"server(trusted_proxies = ["127.0.0.1", "10.0.0.0/40"])"##) == """
                pln.star:1:40: error: server.trusted_proxies[1]: the prefix length in "10.0.0.0/40" must be a whole number from 0 to 32
                    1 | server(trusted_proxies = ["127.0.0.1", "10.0.0.0/40"])
                      |                                        ^~~~~~~~~~~~~
                """)
        // A computed list has no item positions: the error points at the expression.
        #expect(
            errors(##"server(trusted_proxies = ["127.0.0.1"] + ["x"])"##).hasPrefix(
                "pln.star:1:26: error: server.trusted_proxies[1]"))
    }

    @Test func anUnknownModuleInAListPointsAtIt() {
        #expect(
            errors(##"modules(["membership", "blgo"])"##).hasPrefix(
                ##"pln.star:1:24: error: modules: unknown module "blgo" — did you mean "blog"?"##))
        #expect(
            errors(##"modules(["membership", 3])"##).hasPrefix(
                "pln.star:1:24: error: modules: expected module ids as strings, got int"))
    }

    @Test func goldenBadQuestionTypePointsAtItsQuestion() throws {
        let source = try String(contentsOfFile: repositoryRoot() + "/config/pln.star", encoding: .utf8)
            .replacingOccurrences(
                of: ##"type = "choice", options = ["Teacher""##,
                with: ##"type = "choise", options = ["Teacher""##)
        let lines = source.components(separatedBy: "\n")
        #expect(
            errors(source) == """
                pln.star:26:34: error: membership.profile_questions[1].type: expected one of "text", "choice", "multiple", "url", got "choise" — did you mean "choice"?
                   26 | \(lines[25])
                      |                                  ^~~~~~~~~~~~~~~
                """)
    }

    @Test func questionErrorsPointAtTheQuestionWhereverItIsWritten() {
        let text = errors(
            """
            QUESTIONS = [
                {"id": "school", "label": "School"},
                question("Role Name", "Role", type = "choice"),
                question("school", "", options = ["x", "x"]),
            ]
            membership(profile_questions = QUESTIONS)
            """)
        #expect(
            text.contains(
                ##"pln.star:3:5: error: membership.profile_questions[1]: a "choice" question needs options = [...]"##
            ))
        #expect(
            text.contains(
                ##"pln.star:3:14: error: membership.profile_questions[1].id: must be lower-case letters, digits and _, starting with a letter (at most 40), got "Role Name" — did you mean "role_name"?"##
            ))
        #expect(
            text.contains(
                ##"pln.star:4:14: error: membership.profile_questions[2].id: the id "school" is already used by question [0]"##
            ))
        #expect(
            text.contains("pln.star:4:24: error: membership.profile_questions[2].label: must not be empty"))
        #expect(
            text.contains(
                ##"pln.star:4:28: error: membership.profile_questions[2].options: options only apply to "choice" and "multiple" questions"##
            ))
        #expect(
            text.contains(
                ##"pln.star:4:44: error: membership.profile_questions[2].options[1]: "x" is already listed at [0]"##
            ))
        let dict = errors(
            """
            membership(profile_questions = [
                {"id": "school", "label": "School", "type": "txt"},
            ])
            """)
        #expect(
            dict.hasPrefix(
                ##"pln.star:2:41: error: membership.profile_questions[0].type: expected one of "text", "choice", "multiple", "url", got "txt" — did you mean "text"?"##
            ))
    }

    @Test func goldenUnsetVariableIsNamed() {
        #expect(
            errors(##"network(name = env("PLN_NAME"))"##) == """
                pln.star:1:9: error: network.name: environment variable "PLN_NAME" is not set, so env("PLN_NAME") gave None; set it, or give a default: env("PLN_NAME", "PLN")
                    1 | network(name = env("PLN_NAME"))
                      |         ^~~~~~~~~~~~~~~~~~~~~~
                """)
    }

    @Test func unsetVariablesAreNamedWhereverTheNoneGoes() {
        #expect(
            errors(##"server(port = int(env("PORT")))"##).contains(
                ##"environment variable "PORT" is not set, so env("PORT") gave None; set it, or give a default: env("PORT", "…")"##
            ))
        #expect(
            errors(##"storage(path = env("DATA_DIR") + "/pln.sqlite")"##).contains(
                ##"environment variable "DATA_DIR" is not set"##))
        let far = errors("NAME = env(\"PLN_NAME\")\n\nnetwork(name = NAME)")
        #expect(
            far.contains(
                ##"network.name: expected a string, got NoneType None (note: env("PLN_NAME") at pln.star:1 gave None: the variable is not set)"##
            ))
        #expect(
            errors(##"server(trusted_proxies = [env("PROXY")])"##).contains(
                ##"server.trusted_proxies[0]: environment variable "PROXY" is not set"##))
        // A default, or a variable that is set, is fine; a bad value says where it came from.
        #expect(errors(##"network(name = env("PLN_NAME", "Hilltop"))"##) == "")
        #expect(
            (try? load(##"server(port = int(env("PORT")))"##, environment: ["PORT": "9000"]))?.int(
                "server", "port") == 9000)
        let bad = (try? load(##"server(port = int(env("PORT")))"##, environment: ["PORT": "abc"])).map { _ in
            ""
        }
        #expect(bad == nil)
        do {
            _ = try load(
                ##"network(base_url = env("PLN_BASE_URL"))"##, environment: ["PLN_BASE_URL": "pln.org"])
        } catch {
            #expect(
                error.description.contains(##"("pln.org" came from environment variable "PLN_BASE_URL")"##))
        }
    }

    @Test func settingsOfADisabledModuleDrawAWarning() throws {
        let config = try load(
            """
            modules("membership", "groups", "blog")
            cpd(follow_up_weeks = 4)
            moderation(premoderate_modules = ["blog", "cpd"])
            """)
        #expect(
            config.warnings == [
                """
                pln.star:2:1: warning: settings for module "cpd", which is not enabled in modules(...): they have no effect
                    2 | cpd(follow_up_weeks = 4)
                      | ^~~~~~~~~~~~~~~~~~~~~~~~
                """,
                """
                pln.star:3:1: warning: settings for module "moderation", which is not enabled in modules(...): they have no effect
                    3 | moderation(premoderate_modules = ["blog", "cpd"])
                      | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
                """,
                """
                pln.star:3:43: warning: moderation.premoderate_modules[1]: names module "cpd", which is not enabled in modules(...)
                    3 | moderation(premoderate_modules = ["blog", "cpd"])
                      |                                           ^~~~~
                """,
            ])
        #expect(try load("cpd(follow_up_weeks = 4)").warnings.isEmpty)
        #expect(try load("modules(\"membership\", \"cpd\")\ncpd(follow_up_weeks = 4)").warnings.isEmpty)
        // Alongside errors, the warnings are shown too.
        #expect(
            errors("modules(\"membership\")\ncpd(follow_up_weeks = 4)\nserver(port = 0)").contains(
                "pln.star:2:1: warning: settings for module \"cpd\""))
    }

    @Test func everyDefaultMeetsItsOwnConstraint() {
        let context = SettingContext(
            knownModules: registry.manifests.map(\.id), enabledModules: registry.manifests.map(\.id))
        for manifest in KernelSettings.sections + registry.manifests {
            for setting in manifest.settings {
                guard let value = setting.default else { continue }
                let problems = SettingCheck.constraintProblems(
                    value, type: setting.type, constraint: setting.constraint, context: context)
                #expect(problems.isEmpty, "\(manifest.id).\(setting.name): \(problems.map(\.message))")
            }
        }
    }

    @Test func theEmbeddedConfigHasNoWarnings() throws {
        let config = try ConfigLoader.load(
            path: repositoryRoot() + "/config/pln.star", registry: registry, environment: [:])
        #expect(config.warnings.isEmpty)
    }

    @Test func theReferenceSaysWhatEachValueMustBe() {
        let reference = ConfigLoader.reference(registry: registry)
        #expect(reference.contains("network.time_zone: string\n      must be: a tz database zone name"))
        #expect(
            reference.contains(
                "must be: a #rrggbb colour with a contrast of at least 4.5:1 against white text"))
    }
}

@Suite struct SourceTextTests {
    func spans(_ source: String, _ keywordColumn: Int = 3) -> [String]? {
        let text = SourceText(source)
        let whole = Span(
            start: Position(line: 1, column: keywordColumn),
            end: Position(
                line: source.components(separatedBy: "\n").count,
                column: (source.components(separatedBy: "\n").last?.unicodeScalars.count ?? 0)))
        guard let value = text.valueSpan(after: whole), let items = text.itemSpans(of: value) else {
            return nil
        }
        let lines = source.components(separatedBy: "\n")
        return items.map { span in
            let line = Array(lines[span.start.line - 1].unicodeScalars)
            let end = span.end.line == span.start.line ? span.end.column - 1 : line.count
            return String(String.UnicodeScalarView(line[(span.start.column - 1)..<end]))
        }
    }

    @Test func itemsOfLiteralsAreFoundPastStringsCommentsAndNesting() {
        #expect(
            spans(##"f(a = ["x, y", 'it\'s', [1, 2], {"k": (3, 4)}])"##) == [
                ##""x, y""##, ##"'it\'s'"##, "[1, 2]", ##"{"k": (3, 4)}"##,
            ])
        #expect(
            spans("f(a = [\n    \"one\",  # a comment, with a comma\n    \"two\",\n])") == [
                ##""one""##, ##""two""##,
            ])
        #expect(spans(##"f(a = ("p", """q, r"""))"##) == [##""p""##, ##""""q, r""""##])
    }

    @Test func computedListsHaveNoItemPositions() {
        #expect(spans(##"f(a = ["x"] + ["y"])"##) == nil)
        #expect(spans(##"f(a = [s for s in X])"##) == nil)
        #expect(spans(##"f(a = X)"##) == nil)
    }
}
