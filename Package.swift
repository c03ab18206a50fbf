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
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "SluicePipeline",
            dependencies: ["CZlib"]
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
            dependencies: ["SluicePipeline", "SluiceTelemetry", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "SluiceSources",
            dependencies: ["SluicePipeline"]
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "SluiceBenchmark",
            dependencies: ["SluicePipeline", "SluiceSources", "CZlib"],
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
            name: "SluiceEndToEndTests",
            dependencies: ["SluicePipeline", "sluice"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
