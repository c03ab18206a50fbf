import SluicePipeline

/// Attributes as one JSON text for a store column: `[["key","s","text"],["n","i",3],["x","d",1.5],["b","b",true]]`,
/// the type spelled out so an integer never comes back as a double.
public enum AttributeCodec {
    public static func encode(_ attributes: [Attribute]) -> String {
        var w = JSONWriter()
        w.beginArray()
        for attribute in attributes {
            w.beginArray()
            w.string(attribute.key)
            switch attribute.value {
            case .string(let s): w.string("s"); w.string(s)
            case .int(let i): w.string("i"); w.int(i)
            case .double(let d): w.string("d"); d.isFinite ? w.double(d) : w.string(String(d))
            case .bool(let b): w.string("b"); w.bool(b)
            }
            w.endArray()
        }
        w.endArray()
        return w.string
    }

    /// The attributes in `text`; entries it cannot read are left out (the store wrote them, so none are).
    public static func decode(_ text: String) -> [Attribute] {
        guard let entries = (try? JSONValue.parse(Array(text.utf8)))?.arrayValue else { return [] }
        return entries.compactMap { entry -> Attribute? in
            guard let key = entry[0]?.stringValue, let type = entry[1]?.stringValue, let value = entry[2] else { return nil }
            switch type {
            case "s": return value.stringValue.map { Attribute(key, .string($0)) }
            case "i": return value.int64Value.map { Attribute(key, .int($0)) }
            case "d": return (value.doubleValue ?? value.stringValue.flatMap(Double.init)).map { Attribute(key, .double($0)) }
            case "b": return value.boolValue.map { Attribute(key, .bool($0)) }
            default: return nil
            }
        }
    }
}
