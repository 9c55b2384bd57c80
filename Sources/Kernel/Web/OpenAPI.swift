/// Small builders for the OpenAPI operations modules describe.
///
/// ```swift
/// "requestBody": OpenAPI.jsonBody(["type": "object", "properties": ["body": ["type": "string"]]])
/// ```
public enum OpenAPI {
    /// A required `application/json` request body with this schema.
    public static func jsonBody(_ schema: JSONValue) -> JSONValue {
        ["required": true, "content": ["application/json": ["schema": schema]]]
    }
}
