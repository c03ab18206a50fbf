import Testing

/// Every end-to-end suite is nested here and runs one test at a time: they start servers (the receiver,
/// `serve`, PostgreSQL, moto_server, the emulator), run the CLI and measure time, and side by side on two
/// cores they starved each other (a connect timeout, a retry deadline missed under load).
@Suite("end to end", .serialized)
enum EndToEnd {}
