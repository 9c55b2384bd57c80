import Blog
import Configuration
import CPD
import Foundation
import Groups
import Kernel
import Membership
import Messages
import Moderation

/// Every feature module compiled into this binary. Adding a module = a target under Plugins/
/// and one line here.
let registry = ModuleRegistry([
    MembershipModule.self,
    GroupsModule.self,
    CPDModule.self,
    BlogModule.self,
    ModerationModule.self,
    MessagesModule.self,
])

let app = CommandLineApp(
    registry: registry,
    loadConfig: { path in try loadDeploymentConfig(path: path, registry: registry) },
    extraCommands: { app in [serveCommand(app), configCommand(app), starlarkCommand()] })
exit(app.run(Array(CommandLine.arguments.dropFirst()), console: .standard()))
