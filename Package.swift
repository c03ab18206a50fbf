// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluicePipeline", targets: ["SluicePipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Whole-buffer inflate and deflate at about twice zlib's speed: the intake's usual payload and the
        // exporter's gzip (zlib stays for the streams that need it, their errors, and the fixtures' bytes).
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // The process's malloc: recognition allocates and frees thousands of small strings and arrays per
        // payload, which glibc's malloc merges and sweeps back together past a per-thread cache of seven.
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        .target(
            name: "SluicePipeline",
            dependencies: ["CZlib", "CDeflate"]
        ),
        .target(
            name: "SluiceOTLP",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(
            name: "SluiceTelemetry",
            dependencies: ["SluicePipeline", "SluiceOTLP", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(
            name: "SluiceStore",
            dependencies: [
                "SluicePipeline", "SluiceTelemetry",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SluiceExporter",
            dependencies: [
                "SluicePipeline", "SluiceTelemetry", "SluiceOTLP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SluiceLambda",
            dependencies: [
                "SluicePipeline", "SluiceTelemetry", "SluiceExporter", "SluiceAWS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SluiceAWS",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SluiceServer",
            dependencies: [
                "SluicePipeline", "SluiceTelemetry", "SluiceStore", "SluiceOTLP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SluiceSources",
            dependencies: ["SluicePipeline", "CJemalloc"]
        ),
        .target(
            name: "SluiceFixtures",
            dependencies: ["SluicePipeline", "CZlib"]
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluicePipeline",
                "SluiceSources",
                "SluiceFixtures",
                "SluiceTelemetry",
                "SluiceStore",
                "SluiceExporter",
                "SluiceServer",
                "SluiceLambda",
                "SluiceAWS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SluiceBenchmark",
            dependencies: ["SluicePipeline", "SluiceSources", "SluiceTelemetry", "CZlib", "CDeflate"],
            path: "Benchmarks/SluiceBenchmark"
        ),
        .testTarget(
            name: "SluicePipelineTests",
            dependencies: [
                "SluicePipeline",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "SluiceTelemetryTests",
            dependencies: [
                "SluicePipeline", "SluiceTelemetry", "SluiceStore", "SluiceOTLP",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "SluiceAWSTests",
            dependencies: ["SluiceAWS", "SluicePipeline"]
        ),
        .testTarget(
            name: "SluiceEndToEndTests",
            dependencies: [
                "SluicePipeline", "SluiceTelemetry", "SluiceStore", "SluiceExporter", "SluiceAWS", "sluice",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
