import Foundation
import HTTP
import Kernel
import Membership
import PLNTestSupport
import Testing

/// What `pln serve` asks of the HTTP engine beyond the deployment's `server` settings.
@Suite struct ServerSettingsTests {
    @Test func eventLoopsAskForAShortTimeSlice() throws {
        let network = try TestNetwork(modules: [MembershipModule.self])
        defer { network.stop() }
        #expect(network.web.serverConfiguration().eventLoopSlice == .microseconds(100))
        // The engine's own default keeps the kernel's slice.
        #expect(ServerConfiguration().eventLoopSlice == nil)
    }
}
