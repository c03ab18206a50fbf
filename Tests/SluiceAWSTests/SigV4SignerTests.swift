import Foundation
import SluiceAWS
import Testing

@Suite("SigV4 signer, checked against botocore's")
struct SigV4SignerTests {
    struct Case {
        var method: String
        var scheme = "https"
        var host: String
        var path: String
        var query = ""
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        var service: String
        var region = "eu-west-1"
        var token: String?
        var time: Int64
    }

    static let cases: [Case] = [
        Case(method: "POST", host: "logs.eu-west-1.amazonaws.com", path: "/",
             headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "Logs_20140328.DescribeLogGroups")],
             body: Array(#"{"logGroupNamePrefix":"/aws/lambda/","limit":50}"#.utf8), service: "logs", time: 1_795_311_100),
        Case(method: "GET", scheme: "http", host: "127.0.0.1:5123", path: "/2015-03-31/functions/sluice/policy", query: "Qualifier=live",
             headers: [], body: [], service: "lambda", region: "us-east-1", token: "FwoGZXIvYXdzEJr//////////wEaDFAKE+token/=", time: 1_700_000_000),
        Case(method: "DELETE", host: "lambda.ap-southeast-2.amazonaws.com", path: "/2015-03-31/functions/my-fn/policy/sluice%20id",
             query: "b=2&a=z&a=1&RevisionId=x%2Fy", headers: [("X-Custom", "  two   spaces  inside ")], body: [], service: "lambda",
             region: "ap-southeast-2", time: 951_782_400),
        Case(method: "POST", host: "logs.us-west-2.amazonaws.com", path: "/a/./b/../c//d/",
             headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "Logs_20140328.PutSubscriptionFilter")],
             body: Array(#"{"filterPattern":"?\"START RequestId\" ?Zoë 🚀","logGroupName":"/aws/lambda/é"}"#.utf8), service: "logs",
             region: "us-west-2", time: 4_102_444_799),
    ]

    static let credentials = (access: "AKIDEXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    func sign(_ c: Case) -> SigV4Signer.Signature {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: Self.credentials.access, secretAccessKey: Self.credentials.secret,
                                                             sessionToken: c.token), region: c.region, service: c.service)
        return signer.sign(SigV4Signer.Request(method: c.method, path: c.path, query: c.query, headers: [("Host", c.host)] + c.headers, body: c.body),
                           at: c.time)
    }

    @Test("canonical request, string to sign and signature equal botocore's for every case")
    func matchesBotocore() throws {
        var input: [[String: Any]] = []
        var ours: [SigV4Signer.Signature] = []
        for c in Self.cases {
            let signature = sign(c)
            ours.append(signature)
            let amzDate = try #require(signature.headers.first { $0.name == "X-Amz-Date" }?.value)
            var headers: [String: String] = ["Host": c.host]
            for (name, value) in c.headers { headers[name] = value }
            var entry: [String: Any] = [
                "method": c.method, "url": "\(c.scheme)://\(c.host)\(c.path)" + (c.query.isEmpty ? "" : "?\(c.query)"),
                "headers": headers, "body": Data(c.body).base64EncodedString(), "amz_date": amzDate,
                "access": Self.credentials.access, "secret": Self.credentials.secret, "service": c.service, "region": c.region,
            ]
            if let token = c.token { entry["token"] = token }
            input.append(entry)
        }
        let output = try runPython(AWSTestPaths.packageRoot + "/Tests/Support/sigv4_oracle.py", input: JSONSerialization.data(withJSONObject: input))
        let oracle = try #require(JSONSerialization.jsonObject(with: output) as? [[String: String]])
        #expect(oracle.count == Self.cases.count)
        for (index, (signature, expected)) in zip(ours, oracle).enumerated() {
            #expect(signature.canonicalRequest == expected["canonical_request"], "case \(index): canonical request")
            #expect(signature.stringToSign == expected["string_to_sign"], "case \(index): string to sign")
            #expect(signature.signature == expected["signature"], "case \(index): signature")
        }
    }

    @Test("the Authorization header names the key, the scope and the signed headers; the secret never appears")
    func authorizationHeader() throws {
        let signature = sign(Self.cases[1])
        let authorization = try #require(signature.headers.first { $0.name == "Authorization" }?.value)
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=\(signature.signature)")
        #expect(signature.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == Self.cases[1].token })
        #expect(!authorization.contains(Self.credentials.secret))
        #expect(!"\(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s3cr3t"))".contains("s3cr3t"))
    }

    @Test("a different secret or a different second gives a different signature")
    func signatureDependsOnSecretAndTime() {
        let c = Self.cases[0]
        let base = sign(c).signature
        var later = c
        later.time += 1
        #expect(sign(later).signature != base)
        let other = SigV4Signer(credentials: AWSCredentials(accessKeyID: Self.credentials.access, secretAccessKey: "other"), region: c.region, service: c.service)
            .sign(SigV4Signer.Request(method: c.method, path: c.path, headers: [("Host", c.host)] + c.headers, body: c.body), at: c.time)
        #expect(other.signature != base)
        #expect(other.canonicalRequest == sign(c).canonicalRequest)
    }

    @Test("percent-encoding keeps only unreserved characters, in upper-case hex")
    func percentEncoding() {
        #expect(SigV4Signer.percentEncoded("a b/c~d_e.f-g+h=é") == "a%20b%2Fc~d_e.f-g%2Bh%3D%C3%A9")
        #expect(SigV4Signer.percentEncoded("/x y/z", keepingSlash: true) == "/x%20y/z")
    }
}
