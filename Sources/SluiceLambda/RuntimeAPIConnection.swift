import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection to the Lambda Runtime API, on swift-nio directly.
///
/// The loop makes one request at a time to one local address, so a client's connection pool, request
/// validation and streamed bodies are all cost: every call here is one write and one promise. Opened on
/// first use, opened again after the Runtime API closed it.
final class RuntimeAPIConnection: Sendable {
    /// The largest answer taken: Lambda's events are at most a few MB; this only stops a broken peer.
    static let maxBody = 64 << 20

    /// A whole answer.
    struct Response: Sendable {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    private let host: String
    private let port: Int
    private let group: any EventLoopGroup
    private let open = NIOLockedValueBox<(channel: any Channel, collector: NIOLoopBound<ResponseCollector>)?>(nil)

    /// `address` is `AWS_LAMBDA_RUNTIME_API`, `host:port` (checked at init by ``LambdaConfiguration``; an
    /// address that is not one fails each request).
    init(address: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        let parsed = Self.parse(address)
        host = parsed?.host ?? address
        port = parsed?.port ?? 0
        self.group = group
    }

    /// The host and port of a `host:port` address.
    static func parse(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), colon > address.startIndex,
              let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        return (String(address[..<colon]), port)
    }

    /// Sends one request and waits for the whole answer; `timeout` nil waits as long as it takes (`/next`).
    func execute(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
                 timeout: TimeAmount? = nil) async throws -> Response {
        guard port != 0 else { throw LambdaRuntimeError.badAddress(host) }
        let (channel, collector) = try await connection()
        let promise = channel.eventLoop.makePromise(of: Response.self)
        var headers = headers
        headers.replaceOrAdd(name: "Host", value: host)
        if let body { headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes)) }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        channel.eventLoop.execute {
            // Closed since it was taken: nothing would ever answer.
            guard channel.isActive else { return promise.fail(LambdaRuntimeError.connectionClosed) }
            guard collector.value.expect(promise) else { return promise.fail(LambdaRuntimeError.requestInFlight) }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            if let timeout {
                let deadline = channel.eventLoop.scheduleTask(in: timeout) {
                    collector.value.fail(LambdaRuntimeError.timedOut(path: path))
                    channel.close(promise: nil)
                }
                promise.futureResult.whenComplete { _ in deadline.cancel() }
            }
        }
        do {
            return try await promise.futureResult.get()
        } catch {
            forget(channel)
            throw error
        }
    }

    private func connection() async throws -> (channel: any Channel, collector: NIOLoopBound<ResponseCollector>) {
        if let current = open.withLockedValue({ $0 }), current.channel.isActive { return current }
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(host: host, port: port).get()
        let collector = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ResponseCollector.self), eventLoop: channel.eventLoop)
        }.get()
        open.withLockedValue { $0 = (channel, collector) }
        return (channel, collector)
    }

    private func forget(_ channel: any Channel) {
        open.withLockedValue { current in
            if current?.channel === channel { current = nil }
        }
        channel.close(promise: nil)
    }

    /// Collects one response at a time and completes the request's promise with it. Event loop only.
    final class ResponseCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        private var waiting: EventLoopPromise<Response>?
        private var head: HTTPResponseHead?
        private var body = ByteBuffer()

        /// Whether `promise` is now the one waiting: the loop asks one thing at a time, and a second request
        /// on the connection could only take the first one's answer.
        func expect(_ promise: EventLoopPromise<Response>) -> Bool {
            guard waiting == nil else { return false }
            waiting = promise
            head = nil
            return true
        }

        func fail(_ error: any Error) {
            waiting?.fail(error)
            waiting = nil
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let answer):
                head = answer
                let length = answer.headers.first(name: "Content-Length").flatMap { Int($0) } ?? 0
                body = context.channel.allocator.buffer(capacity: min(max(length, 0), RuntimeAPIConnection.maxBody))
            case .body(var part):
                guard body.readableBytes + part.readableBytes <= RuntimeAPIConnection.maxBody else {
                    fail(LambdaRuntimeError.answerTooLarge(limit: RuntimeAPIConnection.maxBody))
                    context.close(promise: nil)
                    return
                }
                body.writeBuffer(&part)
            case .end:
                guard let head, let waiting else { return }
                self.waiting = nil
                self.head = nil
                waiting.succeed(Response(status: head.status, headers: head.headers, body: body))
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            fail(LambdaRuntimeError.connectionClosed)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            fail(error)
            context.close(promise: nil)
        }
    }
}
