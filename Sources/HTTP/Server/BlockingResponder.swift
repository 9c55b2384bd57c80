/// Runs one handler for every request on the worker pool.
///
/// ```swift
/// let server = HTTPServer(configuration: config, responder: BlockingResponder { request in
///     .text("You asked for \(request.path)")
/// })
/// ```
public struct BlockingResponder: HTTPResponder {
    public let handler: HTTPHandler

    public init(_ handler: @escaping HTTPHandler) { self.handler = handler }

    public func dispatch(_ request: HTTPRequest) -> HTTPDispatch {
        let handler = handler
        return .offload { handler(request) }
    }
}
