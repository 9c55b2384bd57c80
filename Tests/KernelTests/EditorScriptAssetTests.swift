import Blog
import Foundation
import Membership
import PLNTestSupport
import Testing

@testable import Kernel

/// The editors' script is its own file, loaded only by pages with an editor; both scripts are
/// served compacted, which is safe only for scripts without template literals or line
/// continuations.
@Suite struct EditorScriptAssetTests {
    @Test func compactingDropsIndentationAndCommentLinesOnly() {
        let source = "  // a comment\n  var a = 1; // kept\n\n\tif (a) {\n    go(\"//x\");\n  }\n"
        #expect(Assets.compact(source) == "var a = 1; // kept\nif (a) {\ngo(\"//x\");\n}\n")
        for script in [Assets.coreScript, Assets.editorScript] {
            #expect(!script.contains("`"))
            #expect(!script.split(separator: "\n").contains { $0.hasSuffix("\\") })
        }
        #expect(Assets.script.utf8.count < Assets.coreScript.utf8.count)
        #expect(!Assets.script.contains("markdown-toolbar"))
        #expect(Assets.editorScriptFile.contains("markdown-toolbar"))
        #expect(Assets.editorScriptFile.contains("if (window.plnEditors) { return; }"))
    }

    @Test func onlyPagesWithAnEditorLoadTheEditorScript() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        _ = try network.services.member("Ann Author", email: "ann@school.example")
        let ann = network.client()
        try ann.signIn("ann@school.example")
        #expect(try ann.get("/blog/new").text.contains(Assets.editorScriptElement))
        #expect(!(try ann.get("/").text.contains("/assets/editor.js")))
        let file = try ann.get("/assets/editor.js?v=\(Assets.editorScriptVersion)")
        #expect(file.status == 200)
        #expect(file.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(file.text == Assets.editorScriptFile)
    }
}
