import Crypto

/// AWS Signature Version 4 for one service in one region (`AWS4-HMAC-SHA256`, signed headers, no
/// chunked payloads): what every call Sluice makes to AWS carries.
///
/// Pure: the time is an argument, so a request signed twice with the same inputs is signed the same, and
/// the unit tests compare every intermediate string with botocore's signer.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A request as it will be sent: `path` and `query` already percent-encoded, as on the wire.
    public struct Request: Sendable, Equatable {
        public var method: String
        public var path: String
        /// `name=value&...`, each part percent-encoded; empty for none.
        public var query: String
        /// Headers to sign; `host` must be among them. Names in any case.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public init(method: String, path: String, query: String = "", headers: [(name: String, value: String)], body: [UInt8]) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }

        public static func == (a: Request, b: Request) -> Bool {
            a.method == b.method && a.path == b.path && a.query == b.query && a.body == b.body
                && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
        }
    }

    /// Every step of a signature, kept so a test can show which one differs.
    public struct Signature: Sendable, Equatable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        public var signedHeaders: String
        public var credentialScope: String
        /// The headers to add to the request: `X-Amz-Date`, `X-Amz-Security-Token` if any, `Authorization`.
        public var headers: [(name: String, value: String)]

        public static func == (a: Signature, b: Signature) -> Bool {
            a.canonicalRequest == b.canonicalRequest && a.stringToSign == b.stringToSign && a.signature == b.signature
        }
    }

    /// Signs `request` at `time` (seconds since 1970).
    public func sign(_ request: Request, at time: Int64) -> Signature {
        let (date, amzDate) = Self.timestamps(time)
        var headers = request.headers
        headers.append((name: "X-Amz-Date", value: amzDate))
        if let token = credentials.sessionToken { headers.append((name: "X-Amz-Security-Token", value: token)) }

        var canonical: [(String, String)] = []
        for (name, value) in headers {
            let key = name.lowercased()
            let trimmed = Self.collapsingSpaces(value)
            if let index = canonical.firstIndex(where: { $0.0 == key }) {
                canonical[index].1 += "," + trimmed
            } else {
                canonical.append((key, trimmed))
            }
        }
        canonical.sort { $0.0 < $1.0 }
        let signedHeaders = canonical.map(\.0).joined(separator: ";")
        let canonicalRequest = [
            request.method.uppercased(),
            Self.canonicalPath(request.path),
            Self.canonicalQuery(request.query),
            canonical.map { "\($0.0):\($0.1)\n" }.joined(),
            signedHeaders,
            Self.hex(SHA256.hash(data: request.body)),
        ].joined(separator: "\n")

        let scope = "\(date)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))].joined(separator: "\n")
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        var added = [(name: "X-Amz-Date", value: amzDate)]
        if let token = credentials.sessionToken { added.append((name: "X-Amz-Security-Token", value: token)) }
        added.append((name: "Authorization",
                      value: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"))
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
                         signedHeaders: signedHeaders, credentialScope: scope, headers: added)
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters (and `/` when asked), as SigV4 wants.
    public static func percentEncoded(_ text: String, keepingSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                out.append("/")
            default:
                out += "%" + String(upperHexDigits[Int(byte >> 4)]) + String(upperHexDigits[Int(byte & 15)])
            }
        }
        return out
    }

    /// Services other than S3 sign the path encoded once more than it is sent, with dot segments and
    /// repeated slashes removed (a trailing slash kept).
    static func canonicalPath(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        var normalised = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/") && !segments.isEmpty { normalised += "/" }
        return percentEncoded(normalised, keepingSlash: true)
    }

    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").map { pair -> (Substring, Substring) in
            guard let equals = pair.firstIndex(of: "=") else { return (pair, "") }
            return (pair[..<equals], pair[pair.index(after: equals)...])
        }
        return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    static func collapsingSpaces(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// `yyyyMMdd` and `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamps(_ time: Int64) -> (String, String) {
        let days = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
        let secondsOfDay = time - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let date = "\(year)\(two(month))\(two(day))"
        return (date, "\(date)T\(two(secondsOfDay / 3600))\(two(secondsOfDay % 3600 / 60))\(two(secondsOfDay % 60))Z")
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out = ""
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 15)])
        }
        return out
    }

    private static let hexDigits: [Character] = Array("0123456789abcdef")
    private static let upperHexDigits: [Character] = Array("0123456789ABCDEF")
}
