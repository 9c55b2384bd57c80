import Testing

@testable import Kernel

/// Which rules of a module's sheet a page can use, read from the classes of its markup.
@Suite struct ModuleStylesheetTests {
    @Test func aRuleNeedsEveryClassOfItsSelectorOutsideNegationsAndAttributeValues() {
        #expect(ModuleStylesheet.requiredClasses(".a .b>li:hover") == ["a", "b"])
        #expect(ModuleStylesheet.requiredClasses(".card.session-card p") == ["card", "session-card"])
        #expect(ModuleStylesheet.requiredClasses(".list li:not(.done)") == ["list"])
        #expect(ModuleStylesheet.requiredClasses("a[href$=\".pdf\"]") == [])
        #expect(ModuleStylesheet.requiredClasses(":is(.x,.y) p") == [])
        #expect(ModuleStylesheet.requiredClasses("main h1") == [])
    }

    @Test func selectorsAreReadInsideMediaBlocksAndNotFromCommentsOrKeyframes() {
        let css = """
            .a,.b p{color:red}
            /* A comment, then a block: {not a rule} */
            @media (max-width:30rem){.c{padding:0}.d>li{margin:0}}
            @keyframes pulse{from{opacity:0}to{opacity:1}}
            @media print{.e,.f:is(.g,.h){display:none!important}}
            """
        #expect(
            ModuleStylesheet.selectors(in: css) == [".a", ".b p", ".c", ".d>li", ".e", ".f:is(.g,.h)"])
    }

    @Test func aSheetAppliesWhenARulesClassesAreAllOnThePage() {
        let sheet = ModuleStylesheet(
            module: "groups",
            css: ".group-card h2{margin:0}.group-page .tabs{gap:0}@media print{.print-only{display:block}}")
        #expect(sheet.requirements != nil)
        let page =
            "<main><section class=\"card group-page\"><h1>Phonics</h1><ul class=\"x\"></ul></section>"
        let linker = StylesheetLinker([sheet])
        #expect(linker.sheets(for: [page]).isEmpty)
        #expect(linker.sheets(for: [page + "<p class=\"tabs\">"]).map(\.module) == ["groups"])
        #expect(linker.sheets(for: ["<li class=\"x group-card\">"]).count == 1)
        #expect(linker.sheets(for: ["<main class=\"group-page\">", "<aside class=\"tabs\">"]).count == 1)
        #expect(linker.sheets(for: ["<p class=\"print-only\"></p>"]).count == 1)
        #expect(linker.sheets(for: [""]).isEmpty && linker.sheets(for: ["class=\"group-card\""]).isEmpty)
        #expect(sheet.applies(to: ["group-card"]) && !sheet.applies(to: ["group-page"]))
        // Class-like text outside a class attribute, or a longer name, does not count.
        #expect(
            linker.sheets(for: ["<p>class=\"group-card\" data-class=\"group-card\" class=\"group-cards\"</p>"]
            )
            .isEmpty)
        // A sheet without class-free rules is linked on every page; sheets keep their order.
        let loose = ModuleStylesheet(module: "loose", css: "table td{padding:0}")
        #expect(
            StylesheetLinker([loose, sheet]).sheets(for: [page + " class=\"group-card\""]).map(\.module) == [
                "loose", "groups",
            ])
    }

    @Test func aRuleWithoutAClassLinksTheSheetEverywhereAndLinkedByOverridesTheRules() {
        let loose = ModuleStylesheet(module: "x", css: ".a{color:red}\ntable td{padding:0}")
        #expect(loose.requirements == nil)
        #expect(loose.applies(to: []))
        let editor = ModuleStylesheet(
            module: "editor", css: ".markdown-toolbar{display:flex}", linkedBy: ["preview-button"])
        #expect(!editor.applies(to: ["markdown-toolbar"]))
        #expect(editor.applies(to: ["preview-button"]))
        #expect(editor.path.hasPrefix("/assets/editor.css?v="))
    }

    @Test func blocksOfRulesAreReadAndASheetWithNoReadableRuleIsLinkedEverywhere() {
        #expect(
            ModuleStylesheet.selectors(
                in: "@layer base{.x{a:b}}@container (min-width:1px){.y p{c:d}}@layer a,b;.z{}")
                == [".x", ".y p", ".z"])
        let fonts = ModuleStylesheet(module: "fonts", css: "@font-face{font-family:X;src:url(x.woff2)}")
        #expect(fonts.requirements == nil)
        #expect(StylesheetLinker([fonts]).sheets(for: [""]).count == 1)
        #expect(ModuleStylesheet(module: "none", css: "", linkedBy: []).requirements == nil)
    }

    @Test func theScannerStopsAtTheEdgesOfThePage() {
        let linker = StylesheetLinker([ModuleStylesheet(module: "groups", css: ".group-card{margin:0}")])
        for page in [
            "", "a", " class=", " class=\"", " class=\"group-card", "x class=\"group-car\"",
            "class=\"group-card\"",
        ] {
            #expect(linker.sheets(for: [page]).isEmpty, "\(page)")
        }
        for page in ["x class=\"group-card\"", " class=\"group-card\"", "<li class=\"group-card\">"] {
            #expect(linker.sheets(for: [page]).count == 1, "\(page)")
        }
    }
}
