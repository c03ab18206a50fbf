#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SluicePipeline

/// Finds and reads payload files: the edge where replay touches the file system.
///
/// Paths may name files or directories (walked recursively, in sorted order, hidden entries and
/// Markdown files skipped); `-` names standard input.
public enum PayloadFileSource {
    /// Expands `paths` into inputs. Paths that do not exist are returned as problems, with the reason.
    public static func expand(_ paths: [String]) -> (inputs: [PayloadInput], problems: [(path: String, reason: String)]) {
        var inputs: [PayloadInput] = []
        var problems: [(path: String, reason: String)] = []
        for path in paths {
            if path == "-" {
                inputs.append(.standardInput)
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                problems.append((path, errnoDescription()))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(directory: path, into: &inputs, problems: &problems)
            } else {
                inputs.append(PayloadInput(name: path, path: path))
            }
        }
        return (inputs, problems)
    }

    private static func walk(directory: String, into inputs: inout [PayloadInput], problems: inout [(path: String, reason: String)]) {
        guard let dir = opendir(directory) else {
            problems.append((directory, errnoDescription()))
            return
        }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") || name.hasSuffix(".md") { continue }
            names.append(name)
        }
        closedir(dir)
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        for name in names.sorted() {
            let path = base + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else {
                problems.append((path, errnoDescription()))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(directory: path, into: &inputs, problems: &problems)
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                inputs.append(PayloadInput(name: path, path: path))
            }
        }
    }

    /// Reads the whole input.
    public static func read(_ input: PayloadInput) throws(IntakeError) -> [UInt8] {
        let fd: Int32
        if let path = input.path {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw .unreadableInput(reason: "\(path): \(errnoDescription())") }
        } else {
            fd = 0
        }
        defer { if input.path != nil { close(fd) } }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            // A regular file is read straight into an array of its size: no intermediate copies.
            let size = Int(info.st_size)
            var failure: Int32 = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                initialized = 0
                while initialized < size {
                    guard let base = buffer.baseAddress else { return }
                    let n = Glibc.read(fd, base + initialized, size - initialized)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if n == 0 { return }
                    initialized += n
                }
            }
            if failure != 0 { throw .unreadableInput(reason: "\(input.name): \(String(cString: strerror(failure)))") }
            return bytes
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadableInput(reason: "\(input.name): \(errnoDescription())")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    static func errnoDescription() -> String {
        String(cString: strerror(errno))
    }
}
