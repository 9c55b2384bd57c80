// swift-tools-version: 6.0
import PackageDescription

// PLN: a plugin-based modular monolith. No package dependencies: system C libraries come in
// through system library targets, everything else is ours.
let package = Package(
    name: "PLN",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pln", targets: ["pln"])
    ],
    dependencies: [],
    targets: [
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt", providers: [.apt(["libcrypt-dev"])]),
        .target(name: "Storage", dependencies: ["CSQLite"], path: "Sources/Storage"),
        .target(name: "Starlark", path: "Sources/Starlark"),
        .target(name: "HTTP", path: "Sources/HTTP"),
        .target(name: "Markdown", path: "Sources/Markdown"),
        .target(
            name: "Kernel", dependencies: ["Storage", "Starlark", "HTTP", "Markdown", "CCrypt"],
            path: "Sources/Kernel"),
        .target(name: "Membership", dependencies: ["Kernel"], path: "Plugins/Membership"),
        .target(name: "Groups", dependencies: ["Kernel", "Membership"], path: "Plugins/Groups"),
        .target(name: "CPD", dependencies: ["Kernel", "Membership"], path: "Plugins/CPD"),
        .target(name: "Blog", dependencies: ["Kernel", "Membership"], path: "Plugins/Blog"),
        .target(
            name: "Moderation", dependencies: ["Kernel", "Membership"], path: "Plugins/Moderation"),
        .executableTarget(
            name: "pln",
            dependencies: ["Kernel", "Membership", "Groups", "CPD", "Blog", "Moderation"],
            path: "Sources/pln"),
        .testTarget(name: "StorageTests", dependencies: ["Storage"], path: "Tests/StorageTests"),
        .testTarget(name: "StarlarkTests", dependencies: ["Starlark"], path: "Tests/StarlarkTests"),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"], path: "Tests/HTTPTests"),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"], path: "Tests/MarkdownTests"),
        .testTarget(
            name: "KernelTests", dependencies: ["Kernel", "Membership", "Groups", "CPD", "Blog", "Moderation"],
            path: "Tests/KernelTests"),
    ],
    swiftLanguageModes: [.v6]
)
