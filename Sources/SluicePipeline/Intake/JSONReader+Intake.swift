extension JSONReader {
    /// The error for a value of the wrong type at `path`. Malformed JSON there is reported as such
    /// (the value is skipped first, which throws ``JSONError`` when it is not a value at all).
    mutating func typeMismatch(path: String, expected: String) throws -> IntakeError {
        let found = kindOfNextValue()
        try skipValue()
        return .wrongType(path: path, expected: expected, found: found)
    }
}
