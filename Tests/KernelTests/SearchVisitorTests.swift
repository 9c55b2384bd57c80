import Foundation
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Kernel

/// What visitors (not signed in) find of kinds whose visibility a setting decides.
@Suite struct SearchVisitorTests {
    @Test func theDirectorySettingDecidesWhatVisitorsFindWithoutAReindex() throws {
        let folder = temporaryFolder()
        func boot(directoryPublic: Bool) throws -> Kernel {
            var config = testConfig(folder: folder)
            config.sections["membership", default: [:]]["directory_public"] = .bool(directoryPublic)
            return try bootKernel(config)
        }
        /// Whether a visitor finds the member by search, and in the directory.
        func visitorFinds(_ kernel: Kernel, _ id: Int64) throws -> [Bool] {
            let search = kernel.services.search
            return [
                try search.search("quillfeather", viewer: .anonymous).hits.contains { $0.id == id },
                try search.directory(kind: "member", viewer: .anonymous, having: [], limit: 50).contains(id),
            ]
        }
        let closed = try boot(directoryPublic: false)
        let member = try closed.services.member("Zebedee Quillfeather")
        let signedIn = Viewer(memberID: member.id)
        #expect(try visitorFinds(closed, member.id) == [false, false])
        #expect(try closed.services.search.search("quillfeather", viewer: signedIn).total == 1)

        // The same database, the directory made public: found, though indexed while closed.
        let open = try boot(directoryPublic: true)
        #expect(try visitorFinds(open, member.id) == [true, true])
        // Indexed again while public, then closed: hidden from visitors again.
        try open.services.database.write { db in
            try open.services.search.reindex(SearchItem(kind: "member", id: member.id), in: db)
        }
        let closedAgain = try boot(directoryPublic: false)
        #expect(try visitorFinds(closedAgain, member.id) == [false, false])
        #expect(try closedAgain.services.search.search("quillfeather", viewer: signedIn).total == 1)
    }
}
